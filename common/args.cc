#include "common/args.h"

#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai {

bool ParsedArgs::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

std::string ParsedArgs::Get(absl::string_view name,
                            absl::string_view fallback) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<ParsedArgs> ParseArgs(std::span<const std::string> args,
                                     std::span<const FlagSpec> specs) {
  ParsedArgs parsed;
  auto find_spec = [&](absl::string_view name) -> const FlagSpec* {
    for (const FlagSpec& s : specs) {
      if (s.name == name) return &s;
    }
    return nullptr;
  };
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || !absl::StartsWith(arg, "--") || arg.size() == 2) {
      if (!options_done && arg == "--") {
        options_done = true;
        continue;
      }
      parsed.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = find_spec(name);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name, "; see --help"));
    }
    std::string value;
    if (spec->value_name.empty()) {
      if (inline_value.has_value()) {
        return absl::InvalidArgumentError(
            absl::StrCat("option --", name, " takes no value"));
      }
    } else if (inline_value.has_value()) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "option --", name, " needs a value (", spec->value_name, ")"));
      }
      value = args[++i];
    }
    auto& slot = parsed.values_[name];
    if (!spec->repeated && !slot.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("option --", name, " is given more than once"));
    }
    slot.push_back(std::move(value));
  }
  for (const FlagSpec& s : specs) {
    if (s.required && !parsed.Has(s.name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "missing required option --", s.name, " ", s.value_name));
    }
  }
  return parsed;
}

std::string FormatFlagHelp(std::span<const FlagSpec> specs) {
  size_t width = 0;
  std::vector<std::string> heads;
  for (const FlagSpec& s : specs) {
    std::string head = absl::StrCat("--", s.name);
    if (!s.value_name.empty()) absl::StrAppend(&head, " ", s.value_name);
    width = std::max(width, head.size());
    heads.push_back(std::move(head));
  }
  std::string out;
  for (size_t i = 0; i < specs.size(); ++i) {
    absl::StrAppend(
        &out, "  ", heads[i], std::string(width - heads[i].size() + 2, ' '),
        specs[i].help, specs[i].required ? " (required)" : "", "\n");
  }
  return out;
}

}  // namespace gongkai
