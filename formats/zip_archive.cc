#include "formats/zip_archive.h"

#include <zip.h>

#include "absl/strings/str_cat.h"
#include "common/lang.h"

namespace gongkai {

void ZipArchive::Closer::operator()(struct zip* z) const { zip_discard(z); }

absl::StatusOr<ZipArchive> ZipArchive::Open(absl::string_view bytes,
                                            int64_t budget) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (src == nullptr) {
    zip_error_fini(&error);
    return LocalizedError(absl::StatusCode::kInvalidArgument, "无法读取压缩包",
                          "the zip archive cannot be read");
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
  zip_error_fini(&error);
  if (z == nullptr) {
    zip_source_free(src);
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "文件不是完整的压缩包",
                          "the file is not a complete zip archive");
  }
  return ZipArchive(std::unique_ptr<struct zip, Closer>(z), budget);
}

bool ZipArchive::Has(const std::string& name) const {
  return zip_name_locate(zip_.get(), name.c_str(), 0) >= 0;
}

absl::StatusOr<std::string> ZipArchive::Read(const std::string& name) {
  zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
  if (index < 0) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat("缺少 ", name),
                          absl::StrCat(name, " is missing"));
  }
  zip_file_t* f = zip_fopen_index(zip_.get(), index, 0);
  if (f == nullptr) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(name, " 无法解压（可能已加密或损坏）"),
        absl::StrCat(name, " cannot be unpacked (encrypted or damaged)"));
  }
  std::string out;
  char buf[1 << 16];
  absl::Status status;
  while (true) {
    zip_int64_t n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      status = LocalizedError(absl::StatusCode::kInvalidArgument,
                              absl::StrCat(name, " 已损坏"),
                              absl::StrCat(name, " is damaged"));
      break;
    }
    if (n == 0) break;
    budget_ -= n;
    if (budget_ < 0) {
      status = LocalizedError(absl::StatusCode::kInvalidArgument,
                              "压缩包解压后过大，不予读取",
                              "the archive is too large when unpacked");
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  zip_fclose(f);
  if (!status.ok()) return status;
  return out;
}

}  // namespace gongkai
