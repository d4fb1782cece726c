// `lantern`: a thin entry point; subcommands are registered from src/cli/*_command.cpp.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

#ifndef LANTERN_VERSION
#define LANTERN_VERSION "0.1.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{"Lantern: a WebAssembly job executor with observability built in", "lantern"};
  app.set_version_flag("--version", std::string("lantern ") + LANTERN_VERSION);
  app.require_subcommand(1);

  lantern::cli::CommandStatus status;
  lantern::cli::register_spectest(app, status);
  lantern::cli::register_run(app, status);

  CLI11_PARSE(app, argc, argv);
  return status.exit_code;
}
