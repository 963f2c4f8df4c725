// The standard visitor helper: std::visit(overloaded{[](A&){...}, [](B&){...}}, v).
#pragma once

namespace centinela {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace centinela
