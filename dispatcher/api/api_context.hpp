// What request handlers reach: the use-case context, the database, the fan-out (to wake it) and
// the providers by configured name.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "dispatcher/core/context.hpp"
#include "dispatcher/fanout/fanout_engine.hpp"
#include "dispatcher/storage/db_pool.hpp"
#include "providers/provider.hpp"

namespace centinela::api {

struct ApiContext {
  const Context& ctx;
  storage::DbPool& db;
  fanout::FanoutEngine& fanout;
  std::map<std::string, std::shared_ptr<providers::Provider>, std::less<>> providers;
};

}  // namespace centinela::api
