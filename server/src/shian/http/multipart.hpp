// Extracts one file field from a multipart/form-data body.
#pragma once

#include <string>

#include "shian/core/error.hpp"

namespace shian::http {

struct UploadedFile {
    std::string filename;
    std::string content_type;
    std::string data;
};

Result<UploadedFile> ReadMultipartFile(const std::string& content_type_header, const std::string& body,
                                       const std::string& field);

}  // namespace shian::http
