// Implements read_table.hpp.
#include "shian/io/read_table.hpp"

#include <string>

#include "shian/io/csv.hpp"
#include "shian/io/text_encoding.hpp"
#include "shian/io/xlsx_reader.hpp"

namespace shian::io {
namespace {

std::string LowerExtension(std::string_view filename) {
    const size_t dot = filename.rfind('.');
    const size_t slash = filename.find_last_of("/\\");
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
        return {};
    }
    std::string ext(filename.substr(dot + 1));
    for (char& c : ext) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return ext;
}

bool IsOleCompoundFile(std::string_view bytes) {
    return bytes.starts_with(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8));
}

Error Unsupported(std::string message) {
    return {ErrorCode::kUnsupportedMedia, std::move(message), "file"};
}

}  // namespace

FileKind SniffFileKind(std::string_view bytes) {
    if (bytes.starts_with(std::string_view("PK\x03\x04", 4)) ||
        bytes.starts_with(std::string_view("PK\x05\x06", 4))) {
        return FileKind::kXlsx;
    }
    if (bytes.empty()) return FileKind::kUnknown;
    return LooksBinary(bytes.substr(0, 64 * 1024)) ? FileKind::kUnknown : FileKind::kCsv;
}

Result<Table> ReadTable(std::string_view bytes, std::string_view filename, size_t max_rows) {
    const std::string ext = LowerExtension(filename);
    if (ext == "xls" || ext == "et" || ext == "xlsm" || ext == "xlsb") {
        return Unsupported("不支持 ." + ext + " 格式，请在 Excel/WPS 中另存为 .xlsx 或 CSV 后上传");
    }
    if (ext != "csv" && ext != "xlsx") {
        return Unsupported("不支持的文件类型，请上传 .xlsx 或 .csv 文件");
    }
    if (bytes.empty()) {
        return Error{ErrorCode::kInvalidArgument, "文件为空：没有找到表头行", "file"};
    }
    const FileKind kind = SniffFileKind(bytes);
    if (ext == "xlsx") {
        if (kind == FileKind::kXlsx) return ReadXlsx(bytes, max_rows);
        if (IsOleCompoundFile(bytes)) {
            return Unsupported(
                "文件扩展名是 .xlsx，但内容是旧版 .xls 格式或已加密的工作簿；"
                "请在 Excel/WPS 中取消密码并另存为 .xlsx 后上传");
        }
        if (kind == FileKind::kCsv) {
            return Unsupported(
                "文件扩展名是 .xlsx，但内容是文本（可能是改了扩展名的 CSV）；"
                "请上传真正的 .xlsx 文件，或把扩展名改为 .csv");
        }
        return Unsupported("文件扩展名是 .xlsx，但内容不是 XLSX 工作簿");
    }
    if (kind == FileKind::kXlsx) {
        return Unsupported(
            "文件扩展名是 .csv，但内容是压缩包（可能是改了扩展名的 .xlsx）；"
            "请上传 CSV 文本文件，或把扩展名改为 .xlsx");
    }
    if (IsOleCompoundFile(bytes)) {
        return Unsupported(
            "文件扩展名是 .csv，但内容是旧版 Excel（.xls）文件；请另存为 CSV 或 .xlsx 后上传");
    }
    if (kind == FileKind::kUnknown) {
        return Unsupported("文件扩展名是 .csv，但内容不是文本（可能是图片或其他二进制文件）");
    }
    return ReadCsv(bytes, max_rows);
}

}  // namespace shian::io
