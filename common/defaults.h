// Defaults shared by the daemon and the CLI.
#ifndef GONGKAI_COMMON_DEFAULTS_H_
#define GONGKAI_COMMON_DEFAULTS_H_

namespace gongkai {

// Where gongkaid listens and the CLI connects unless told otherwise.
inline constexpr char kDefaultServerAddress[] =
    "unix:/run/gongkai/gongkaid.sock";

// The largest message gongkaid reads in one piece. gRPC reads a message
// whole before any handler (and so before authentication) sees it: this
// bounds what an unauthenticated caller can make the daemon hold per call.
inline constexpr int kMaxMessageBytes = 1 << 20;  // 1 MiB

// What gRPC may hold for all connections together (messages being read,
// buffers): the daemon's transport memory stays within this.
inline constexpr int kTransportMemoryBytes = 16 << 20;  // 16 MiB

// A ledger import streams its file in pieces of this size (well under
// kMaxMessageBytes, which also counts the other fields and framing)...
inline constexpr int kLedgerChunkBytes = 256 << 10;  // 256 KiB
// ...up to this much in all.
inline constexpr int kMaxLedgerBytes = 256 << 20;  // 256 MiB

}  // namespace gongkai

#endif  // GONGKAI_COMMON_DEFAULTS_H_
