// application/x-www-form-urlencoded codec (providers/common/form.cpp).
#include <gtest/gtest.h>

#include "providers/common/form.hpp"

namespace centinela {
namespace {

TEST(DecodeForm, PlusIsSpaceAndEscapesDecode) {
  const auto f = decode_form("a=1&b=x+y%21&Body=Hola%20%C3%B1%2b");
  ASSERT_TRUE(f.has_value());
  const FormFields expect{{"a", "1"}, {"b", "x y!"}, {"Body", "Hola ñ+"}};
  EXPECT_EQ(*f, expect);
}

TEST(DecodeForm, KeepsOrderAndRepeats) {
  const FormFields expect{{"b", "2"}, {"a", "1"}, {"b", "3"}};
  EXPECT_EQ(decode_form("b=2&a=1&b=3"), expect);
}

TEST(DecodeForm, EdgeCases) {
  EXPECT_EQ(decode_form(""), FormFields{});
  EXPECT_EQ(decode_form("&&"), FormFields{});
  EXPECT_EQ(decode_form("a"), (FormFields{{"a", ""}}));
  EXPECT_EQ(decode_form("a="), (FormFields{{"a", ""}}));
  EXPECT_EQ(decode_form("=v"), (FormFields{{"", "v"}}));
  EXPECT_EQ(decode_form("a=1&&b=2&"), (FormFields{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(decode_form("a=b=c"), (FormFields{{"a", "b=c"}}));  // only the first '=' splits
  EXPECT_EQ(decode_form("n%41me=%00"), (FormFields{{"nAme", std::string(1, '\0')}}));
}

TEST(DecodeForm, RejectsBadEscapes) {
  for (const char* bad : {"a=%", "a=%4", "a=%zz", "a=%4g", "%G1=x", "a=1&b=%"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(decode_form(bad).has_value());
  }
}

TEST(EncodeForm, EscapesLikeTheSdks) {
  EXPECT_EQ(encode_form({{"To", "+12135550123"}, {"Body", "a b&c=d/é~"}}),
            "To=%2B12135550123&Body=a+b%26c%3Dd%2F%C3%A9~");
}

TEST(EncodeForm, RoundTrips) {
  const FormFields fields{{"Body", "¡Alerta! ICE en 5th & Main, 10:30 (100%)"}, {"x y", "+"}, {"empty", ""}};
  EXPECT_EQ(decode_form(encode_form(fields)), fields);
}

TEST(FormValue, FirstMatch) {
  const FormFields f{{"a", "1"}, {"a", "2"}};
  EXPECT_EQ(form_value(f, "a"), "1");
  EXPECT_FALSE(form_value(f, "A").has_value());  // names are case-sensitive
}

}  // namespace
}  // namespace centinela
