// Each `lantern` subcommand lives in its own src/cli/<name>_command.cpp and registers itself on
// the application here; main.cpp calls every register_* function once.
#pragma once

#include <CLI/CLI.hpp>

namespace lantern::cli {

// Exit code a subcommand wants the process to end with; set from its callback.
struct CommandStatus {
  int exit_code = 0;
};

// `lantern spectest PATH...`: runs wast2json-converted spec tests.
void register_spectest(CLI::App& app, CommandStatus& status);

// `lantern run [OPTIONS] MODULE [ARGS...]`: runs a WASI module in a sandbox (run_command.cpp).
void register_run(CLI::App& app, CommandStatus& status);

}  // namespace lantern::cli
