#include "documents/zip_package.h"

#include <zip.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/lang.h"

namespace gongkai::documents {
namespace {

// `why` in Chinese and `why_en` in English (libzip's own messages are
// English only and used for both).
absl::Status NotAZip(absl::string_view why, absl::string_view why_en = "") {
  if (why_en.empty()) why_en = why;
  return LocalizedError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("文件不是有效的 DOCX（zip）文档：", why),
                        absl::StrCat("the file is not a valid DOCX (zip) "
                                     "document: ",
                                     why_en));
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct SourceFreer {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};

}  // namespace

const Part* Package::Find(absl::string_view name) const {
  for (const Part& p : parts_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Part* Package::Find(absl::string_view name) {
  for (Part& p : parts_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

void Package::Put(absl::string_view name, std::string data) {
  if (Part* p = Find(name)) {
    p->data = std::move(data);
    return;
  }
  parts_.push_back({std::string(name), std::move(data)});
}

absl::StatusOr<Package> ReadPackage(absl::string_view bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (src == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return NotAZip(why);
  }
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (raw == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(src);
    return NotAZip(why);
  }
  zip_error_fini(&error);
  std::unique_ptr<zip_t, ZipCloser> archive(raw);
  Package package;
  size_t total = 0;
  const zip_int64_t n = zip_get_num_entries(raw, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(raw, i, 0, &st) != 0) return NotAZip(zip_strerror(raw));
    std::string name = st.name;
    if (!name.empty() && name.back() == '/') continue;  // a directory entry
    if (st.size > kMaxPackageBytes - total) {
      return NotAZip(
          absl::StrCat("解压后超过 ", kMaxPackageBytes >> 20, " MiB"),
          absl::StrCat("it unpacks to more than ", kMaxPackageBytes >> 20,
                       " MiB"));
    }
    zip_file_t* f = zip_fopen_index(raw, i, 0);
    if (f == nullptr) return NotAZip(zip_strerror(raw));
    std::string data(st.size, '\0');
    zip_int64_t got = data.empty() ? 0 : zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
      return NotAZip(absl::StrCat(name, " 无法读取"),
                     absl::StrCat(name, " cannot be read"));
    }
    total += data.size();
    package.parts().push_back({std::move(name), std::move(data)});
  }
  if (package.parts().empty()) return NotAZip("空压缩包", "the zip is empty");
  return package;
}

absl::StatusOr<std::string> WritePackage(const Package& package) {
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceFreer> out(
      zip_source_buffer_create(nullptr, 0, 0, &error));
  if (out == nullptr) {
    zip_error_fini(&error);
    return absl::InternalError("zip_source_buffer_create failed");
  }
  // zip_close frees the source it was opened on; keep ours for reading.
  zip_source_keep(out.get());
  zip_t* z = zip_open_from_source(out.get(), ZIP_TRUNCATE, &error);
  if (z == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(out.get());
    return absl::InternalError(absl::StrCat("zip_open_from_source: ", why));
  }
  zip_error_fini(&error);
  // 1980-01-01 00:00, the earliest DOS date, set as DOS fields so the bytes
  // do not depend on the machine's time zone.
  constexpr zip_uint16_t kDosTime = 0;
  constexpr zip_uint16_t kDosDate = (0 << 9) | (1 << 5) | 1;
  for (const Part& p : package.parts()) {
    zip_source_t* s =
        zip_source_buffer(z, p.data.data(), p.data.size(), /*freep=*/0);
    if (s == nullptr) {
      zip_discard(z);
      return absl::InternalError("zip_source_buffer failed");
    }
    zip_int64_t idx =
        zip_file_add(z, p.name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(s);
      std::string why = zip_strerror(z);
      zip_discard(z);
      return absl::InternalError(
          absl::StrCat("zip_file_add ", p.name, ": ", why));
    }
    zip_set_file_compression(z, idx, ZIP_CM_DEFLATE, 6);
    zip_file_set_dostime(z, idx, kDosTime, kDosDate, 0);
  }
  if (zip_close(z) != 0) {
    std::string why = zip_strerror(z);
    zip_discard(z);
    return absl::InternalError(absl::StrCat("zip_close: ", why));
  }
  zip_stat_t st;
  if (zip_source_stat(out.get(), &st) != 0 || zip_source_open(out.get()) != 0) {
    return absl::InternalError("cannot read the written zip");
  }
  std::string bytes(st.size, '\0');
  zip_int64_t got = zip_source_read(out.get(), bytes.data(), st.size);
  zip_source_close(out.get());
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
    return absl::InternalError("cannot read the written zip");
  }
  return bytes;
}

}  // namespace gongkai::documents
