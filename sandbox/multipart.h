#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace sandbox {

struct MultipartPart
{
    QString name;
    QString fileName;
    QByteArray contentType;
    QByteArray data;
};

//! Parses a multipart/form-data body (RFC 7578). Returns nullopt and sets *error when the
//! boundary is missing, a part has no headers end, or the closing delimiter is absent.
std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &contentTypeHeader,
                                                   const QByteArray &body, QString *error);

} // namespace sandbox
