// Test helper: a fresh temporary directory removed at scope exit.
#ifndef GONGKAI_STORAGE_TEST_UTIL_H_
#define GONGKAI_STORAGE_TEST_UTIL_H_

#include <filesystem>
#include <string>

namespace gongkai::storage {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "gongkai-test-XXXXXX")
            .string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const {
    return (std::filesystem::path(path_) / name).string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_TEST_UTIL_H_
