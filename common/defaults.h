// Defaults shared by the daemon and the CLI.
#ifndef GONGKAI_COMMON_DEFAULTS_H_
#define GONGKAI_COMMON_DEFAULTS_H_

namespace gongkai {

// Where gongkaid listens and the CLI connects unless told otherwise.
inline constexpr char kDefaultServerAddress[] =
    "unix:/run/gongkai/gongkaid.sock";

}  // namespace gongkai

#endif  // GONGKAI_COMMON_DEFAULTS_H_
