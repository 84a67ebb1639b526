#include "shian/http/multipart.hpp"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>

#include <sstream>

namespace shian::http {

Result<UploadedFile> ReadMultipartFile(const std::string& content_type_header, const std::string& body,
                                       const std::string& field) {
    if (content_type_header.find("multipart/form-data") == std::string::npos) {
        return Error{ErrorCode::kUnsupportedMedia, "请以 multipart/form-data 方式上传文件（字段 " + field + "）", field};
    }
    try {
        std::string media;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(content_type_header, media, params);
        std::string boundary = params.get("boundary", "");
        if (boundary.empty()) return Error::Invalid(field, "上传请求缺少 boundary");
        std::istringstream in(body);
        Poco::Net::MultipartReader reader(in, boundary);
        while (reader.hasNextPart()) {
            Poco::Net::MessageHeader header;
            reader.nextPart(header);
            std::string disposition;
            Poco::Net::NameValueCollection dparams;
            Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, dparams);
            std::string data;
            Poco::StreamCopier::copyToString(reader.stream(), data);
            if (dparams.get("name", "") == field) {
                return UploadedFile{dparams.get("filename", ""), header.get("Content-Type", ""), std::move(data)};
            }
        }
    } catch (const Poco::Exception& e) {
        return Error::Invalid(field, "上传内容格式错误：" + e.displayText());
    }
    return Error::Invalid(field, "请求中没有名为 " + field + " 的文件");
}

}  // namespace shian::http
