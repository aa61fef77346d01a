// A small command-line parser shared by gongkaid and the gongkai CLI.
// Accepts `--name value`, `--name=value`, boolean `--name`, and `--` to end
// options. Errors name the bad option so the user can fix it. Pure code.
#ifndef GONGKAI_COMMON_ARGS_H_
#define GONGKAI_COMMON_ARGS_H_

#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

struct FlagSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // e.g. "DATE"; empty for a boolean flag
  std::string help;
  bool required = false;
  bool repeated = false;
};

class ParsedArgs {
 public:
  const std::vector<std::string>& positional() const { return positional_; }
  bool Has(absl::string_view name) const;
  // The last value given for `name`, or `fallback`.
  std::string Get(absl::string_view name,
                  absl::string_view fallback = "") const;
  // Every value given for a repeated flag, in order.
  std::vector<std::string> GetAll(absl::string_view name) const;

 private:
  friend absl::StatusOr<ParsedArgs> ParseArgs(std::span<const std::string>,
                                              std::span<const FlagSpec>);
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

// Parses `args` (without the program or command name) against `specs`.
absl::StatusOr<ParsedArgs> ParseArgs(std::span<const std::string> args,
                                     std::span<const FlagSpec> specs);

// The option list for --help, one option per line, aligned.
std::string FormatFlagHelp(std::span<const FlagSpec> specs);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_ARGS_H_
