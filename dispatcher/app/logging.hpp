// Structured logging set-up: one line per event, key=value, level from CENTINELA_LOG_LEVEL
// (trace, debug, info, warn, error; default info). Phone numbers are masked by their formatter.
#pragma once

namespace centinela::app {

void configure_logging();

}  // namespace centinela::app
