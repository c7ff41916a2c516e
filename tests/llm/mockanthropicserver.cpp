#include "llm/mockanthropicserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

#include <sys/socket.h>

namespace fb::test {

namespace {

const QString kDefaultAnswer = QStringLiteral(
    "{\"pet\": {\"type\": \"dog\", \"name\": \"Biscuit\"}, \"property_notes\": \"keep gate closed\"}");

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray anthropicError(const QString &type, const QString &message)
{
    return json({{QStringLiteral("type"), QStringLiteral("error")},
                 {QStringLiteral("error"),
                  QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("message"), message}}}});
}

QByteArray openAiError(const QString &type, const QString &message, const QString &code = {})
{
    return json({{QStringLiteral("error"),
                  QJsonObject{{QStringLiteral("message"), message},
                              {QStringLiteral("type"), type},
                              {QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code)}}}});
}

QByteArray reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 529:
        return "Overloaded";
    default:
        return "Status";
    }
}

QJsonObject textBlock(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), text}};
}

QJsonObject thinkingBlock(const QString &text)
{
    return {{QStringLiteral("type"), QStringLiteral("thinking")},
            {QStringLiteral("thinking"), text},
            {QStringLiteral("signature"),
             QStringLiteral("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds")}};
}

} // namespace

MockAnthropicServer::MockAnthropicServer(QObject *parent) : QObject(parent), m_answer(kDefaultAnswer)
{
    connect(&m_server, &QTcpServer::newConnection, this, &MockAnthropicServer::onNewConnection);
}

MockAnthropicServer::~MockAnthropicServer()
{
    // The sockets are the server's children: delete them while the bookkeeping they report to still exists.
    m_server.close();
    const auto sockets = m_server.findChildren<QTcpSocket *>();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool MockAnthropicServer::listen(quint16 port)
{
    return m_server.listen(QHostAddress::LocalHost, port);
}

QUrl MockAnthropicServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
}

void MockAnthropicServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QObject::destroyed, this, [this, socket] { m_buffers.remove(socket); });
    }
}

void MockAnthropicServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    Received request;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    request.method = first.value(0);
    request.path = first.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length", "0").toLongLong();
    if (buffer.size() < end + 4 + length)
        return;
    request.rawBody = buffer.mid(end + 4, length);
    buffer.clear();
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    handle(socket, std::move(request));
}

void MockAnthropicServer::handle(QTcpSocket *socket, Received request)
{
    const bool openAi = request.path == "/v1/chat/completions";
    int status = 0;
    QByteArray body;
    if (request.method != "POST" || (!openAi && request.path != "/v1/messages")) {
        status = 404;
        body = anthropicError(QStringLiteral("not_found_error"), QStringLiteral("Not Found"));
        respond(socket, request, status, body);
        return;
    }
    const bool refused =
        openAi ? refuseOpenAi(request, status, body) : refuseAnthropic(request, status, body);
    if (refused) {
        respond(socket, request, status, body, {}, QByteArrayLiteral("application/json"), true, openAi);
        return;
    }
    ++m_played;
    const Scenario scenario = m_script.isEmpty() ? m_fallback : m_script.takeFirst();
    play(socket, request, scenario, openAi);
}

bool MockAnthropicServer::refuseAnthropic(Received &request, int &status, QByteArray &body) const
{
    const auto refuse = [&](int code, const QString &type, const QString &message) {
        status = code;
        request.errorMessage = message;
        body = anthropicError(type, message);
        return true;
    };
    const QString invalid = QStringLiteral("invalid_request_error");
    if (!request.headers.contains("x-api-key"))
        return refuse(401, QStringLiteral("authentication_error"),
                      QStringLiteral("x-api-key header is required"));
    if (request.headers.value("x-api-key") != m_key)
        return refuse(401, QStringLiteral("authentication_error"), QStringLiteral("invalid x-api-key"));
    if (!request.headers.contains("anthropic-version"))
        return refuse(400, invalid, QStringLiteral("anthropic-version: header is required"));
    if (!request.headers.value("content-type").startsWith("application/json"))
        return refuse(400, invalid, QStringLiteral("content-type must be application/json"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.rawBody, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return refuse(400, invalid, QStringLiteral("There was an error parsing the body of your request"));
    request.body = doc.object();
    const QJsonObject &b = request.body;
    static const QStringList known{
        QStringLiteral("model"),  QStringLiteral("max_tokens"),  QStringLiteral("messages"),
        QStringLiteral("system"), QStringLiteral("thinking"),    QStringLiteral("temperature"),
        QStringLiteral("top_k"),  QStringLiteral("top_p"),       QStringLiteral("stop_sequences"),
        QStringLiteral("stream"), QStringLiteral("metadata"),    QStringLiteral("output_config"),
        QStringLiteral("tools"),  QStringLiteral("tool_choice"), QStringLiteral("service_tier")};
    for (auto it = b.begin(); it != b.end(); ++it)
        if (!known.contains(it.key()))
            return refuse(400, invalid, QStringLiteral("%1: Extra inputs are not permitted").arg(it.key()));
    if (!b.value(QStringLiteral("model")).isString())
        return refuse(400, invalid, QStringLiteral("model: Field required"));
    const QJsonValue maxTokens = b.value(QStringLiteral("max_tokens"));
    if (!maxTokens.isDouble() || maxTokens.toInt() < 1)
        return refuse(400, invalid, QStringLiteral("max_tokens: Field required"));
    const QJsonArray messages = b.value(QStringLiteral("messages")).toArray();
    if (messages.isEmpty())
        return refuse(400, invalid, QStringLiteral("messages: at least one message is required"));
    for (int i = 0; i < messages.size(); ++i) {
        const QString role = messages.at(i).toObject().value(QStringLiteral("role")).toString();
        if (role == QStringLiteral("system"))
            return refuse(
                400, invalid,
                QStringLiteral("messages: Unexpected role \"system\". The Messages API accepts a top-level "
                               "`system` parameter, not \"system\" as an input message role."));
        if (role != QStringLiteral("user") && role != QStringLiteral("assistant"))
            return refuse(400, invalid,
                          QStringLiteral("messages.%1.role: Input should be 'user' or 'assistant'").arg(i));
        const QJsonValue content = messages.at(i).toObject().value(QStringLiteral("content"));
        if (!content.isString() && !content.isArray())
            return refuse(400, invalid, QStringLiteral("messages.%1.content: Field required").arg(i));
    }
    if (messages.first().toObject().value(QStringLiteral("role")).toString() != QStringLiteral("user"))
        return refuse(400, invalid, QStringLiteral("messages: first message must use the \"user\" role"));
    if (b.contains(QStringLiteral("system")) && !b.value(QStringLiteral("system")).isString() &&
        !b.value(QStringLiteral("system")).isArray())
        return refuse(400, invalid, QStringLiteral("system: Input should be a valid string"));
    if (b.contains(QStringLiteral("thinking"))) {
        const QJsonValue thinking = b.value(QStringLiteral("thinking"));
        if (!thinking.isObject())
            return refuse(400, invalid,
                          QStringLiteral("thinking: Input should be a valid dictionary or object"));
        const QString type = thinking.toObject().value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("enabled")) {
            const QJsonValue budget = thinking.toObject().value(QStringLiteral("budget_tokens"));
            if (!budget.isDouble())
                return refuse(400, invalid, QStringLiteral("thinking.enabled.budget_tokens: Field required"));
            if (budget.toInt() < 1024)
                return refuse(
                    400, invalid,
                    QStringLiteral("thinking.enabled.budget_tokens: Input should be greater than or equal "
                                   "to 1024"));
            if (budget.toInt() >= maxTokens.toInt())
                return refuse(400, invalid,
                              QStringLiteral("`max_tokens` must be greater than "
                                             "`thinking.budget_tokens`"));
            if (b.contains(QStringLiteral("temperature")))
                return refuse(400, invalid,
                              QStringLiteral("`temperature` may only be set to 1 when thinking is "
                                             "enabled"));
            if (b.contains(QStringLiteral("top_k")))
                return refuse(400, invalid, QStringLiteral("`top_k` cannot be set when thinking is enabled"));
        } else if (type != QStringLiteral("disabled") && type != QStringLiteral("adaptive")) {
            return refuse(400, invalid,
                          QStringLiteral("thinking.type: Input tag '%1' does not match").arg(type));
        }
    }
    if (b.contains(QStringLiteral("output_config"))) {
        const QJsonObject format =
            b.value(QStringLiteral("output_config")).toObject().value(QStringLiteral("format")).toObject();
        if (format.value(QStringLiteral("type")).toString() != QStringLiteral("json_schema") ||
            !format.value(QStringLiteral("schema")).isObject())
            return refuse(400, invalid,
                          QStringLiteral("output_config.format: a json_schema with a schema is required"));
    }
    return false;
}

bool MockAnthropicServer::refuseOpenAi(Received &request, int &status, QByteArray &body) const
{
    const auto refuse = [&](int code, const QString &type, const QString &message,
                            const QString &errorCode = {}) {
        status = code;
        request.errorMessage = message;
        body = openAiError(type, message, errorCode);
        return true;
    };
    const QString invalid = QStringLiteral("invalid_request_error");
    if (!m_key.isEmpty() && request.headers.value("authorization") != "Bearer " + m_key)
        return refuse(401, invalid, QStringLiteral("Incorrect API key provided"),
                      QStringLiteral("invalid_api_key"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.rawBody, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return refuse(400, invalid, QStringLiteral("We could not parse the JSON body of your request."));
    request.body = doc.object();
    const QJsonObject &b = request.body;
    if (b.contains(QStringLiteral("thinking")))
        return refuse(400, invalid, QStringLiteral("Unrecognized request argument supplied: thinking"));
    if (!b.value(QStringLiteral("model")).isString())
        return refuse(400, invalid, QStringLiteral("you must provide a model parameter"));
    const QJsonArray messages = b.value(QStringLiteral("messages")).toArray();
    if (messages.isEmpty())
        return refuse(400, invalid, QStringLiteral("'messages' must contain at least one message"));
    static const QStringList roles{QStringLiteral("system"), QStringLiteral("developer"),
                                   QStringLiteral("user"), QStringLiteral("assistant"),
                                   QStringLiteral("tool")};
    for (const QJsonValue &message : messages)
        if (!roles.contains(message.toObject().value(QStringLiteral("role")).toString()))
            return refuse(400, invalid, QStringLiteral("Invalid value for 'role'"));
    if (b.contains(QStringLiteral("max_tokens")) && b.value(QStringLiteral("max_tokens")).toInt() < 1)
        return refuse(400, invalid, QStringLiteral("max_tokens must be at least 1"));
    return false;
}

void MockAnthropicServer::play(QTcpSocket *socket, Received &request, Scenario scenario, bool openAi)
{
    const QString answer = m_answer;
    const auto ok = [&](const QJsonArray &content, const QString &stopReason) {
        if (openAi) {
            QString text;
            for (const QJsonValue &block : content)
                if (block.toObject().value(QStringLiteral("type")).toString() == QStringLiteral("text"))
                    text += block.toObject().value(QStringLiteral("text")).toString();
            QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                {QStringLiteral("content"), text}};
            QString finish = QStringLiteral("stop");
            if (stopReason == QStringLiteral("max_tokens"))
                finish = QStringLiteral("length");
            if (stopReason == QStringLiteral("refusal")) {
                message.insert(QStringLiteral("content"), QJsonValue());
                message.insert(QStringLiteral("refusal"), QStringLiteral("I can't help with that."));
            }
            const QJsonObject choice{{QStringLiteral("index"), 0},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("finish_reason"), finish}};
            respond(socket, request, 200,
                    json({{QStringLiteral("id"), QStringLiteral("chatcmpl-%1").arg(m_nextId)},
                          {QStringLiteral("object"), QStringLiteral("chat.completion")},
                          {QStringLiteral("model"), request.body.value(QStringLiteral("model"))},
                          {QStringLiteral("choices"), QJsonArray{choice}},
                          {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), 412},
                                                                {QStringLiteral("completion_tokens"), 80}}}}),
                    {}, QByteArrayLiteral("application/json"), true, true);
            return;
        }
        respond(socket, request, 200,
                json({{QStringLiteral("id"), QStringLiteral("msg_%1").arg(m_nextId)},
                      {QStringLiteral("type"), QStringLiteral("message")},
                      {QStringLiteral("role"), QStringLiteral("assistant")},
                      {QStringLiteral("model"), request.body.value(QStringLiteral("model"))},
                      {QStringLiteral("content"), content},
                      {QStringLiteral("stop_reason"), stopReason},
                      {QStringLiteral("stop_sequence"), QJsonValue()},
                      {QStringLiteral("usage"), QJsonObject{{QStringLiteral("input_tokens"), 412},
                                                            {QStringLiteral("output_tokens"), 380}}}}));
    };
    const auto error = [&](int status, const QString &type, const QString &message,
                           const QList<std::pair<QByteArray, QByteArray>> &headers = {}) {
        respond(socket, request, status, openAi ? openAiError(type, message) : anthropicError(type, message),
                headers, QByteArrayLiteral("application/json"), true, openAi);
    };
    const QJsonObject thinking =
        thinkingBlock(QStringLiteral("The notes mention a dog named Biscuit and a gate."));
    switch (scenario) {
    case Scenario::Ok:
        ok({thinking, textBlock(answer)}, QStringLiteral("end_turn"));
        return;
    case Scenario::FencedJson:
        ok({thinking, textBlock(QStringLiteral("```json\n%1\n```").arg(answer))}, QStringLiteral("end_turn"));
        return;
    case Scenario::ProseAroundJson:
        ok({thinking,
            textBlock(QStringLiteral("Here is what I found in the notes:\n%1\nLet me know if you need "
                                     "anything else.")
                          .arg(answer))},
           QStringLiteral("end_turn"));
        return;
    case Scenario::MalformedJson:
        ok({thinking, textBlock(answer.left(answer.size() / 2))}, QStringLiteral("end_turn"));
        return;
    case Scenario::Truncated:
        ok({thinking, textBlock(answer.left(answer.size() - 10))}, QStringLiteral("max_tokens"));
        return;
    case Scenario::Refusal:
        ok({}, QStringLiteral("refusal"));
        return;
    case Scenario::RedactedThinking:
        ok({QJsonObject{{QStringLiteral("type"), QStringLiteral("redacted_thinking")},
                        {QStringLiteral("data"),
                         QStringLiteral("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr")}},
            textBlock(answer)},
           QStringLiteral("end_turn"));
        return;
    case Scenario::SplitText: {
        const qsizetype half = answer.size() / 2;
        ok({textBlock(answer.left(half)), thinking, textBlock(answer.mid(half))}, QStringLiteral("end_turn"));
        return;
    }
    case Scenario::RateLimited:
        error(429, QStringLiteral("rate_limit_error"),
              QStringLiteral("Number of request tokens has exceeded your per-minute rate limit"),
              {{"retry-after", "1"}});
        return;
    case Scenario::SpendLimit:
        error(429, QStringLiteral("rate_limit_error"),
              QStringLiteral(
                  "You have reached your specified workspace API usage limits (spend limit). You will "
                  "regain access on 2026-12-01."));
        return;
    case Scenario::Overloaded:
        error(529, QStringLiteral("overloaded_error"), QStringLiteral("Overloaded"));
        return;
    case Scenario::ServerError:
        error(500, QStringLiteral("api_error"), QStringLiteral("Internal server error"));
        return;
    case Scenario::ShouldRetryFalse:
        error(500, QStringLiteral("api_error"), QStringLiteral("Internal server error"),
              {{"x-should-retry", "false"}});
        return;
    case Scenario::BadRequest:
        error(400, QStringLiteral("invalid_request_error"),
              QStringLiteral("prompt is too long: 212000 tokens > 200000"));
        return;
    case Scenario::Unauthorized:
        error(401, QStringLiteral("authentication_error"), QStringLiteral("invalid x-api-key"));
        return;
    case Scenario::Hang:
        received.append(request);
        m_hanging.append(socket);
        return;
    case Scenario::Reset: {
        received.append(request);
        // SO_LINGER 0: closing sends RST, as a crashed proxy or a dropped NAT entry does.
        struct linger hard
        {
            1, 0
        };
        ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        socket->abort();
        return;
    }
    case Scenario::HtmlBadGateway:
        respond(socket, request, 502,
                QByteArrayLiteral(
                    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 "
                    "Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
                {}, QByteArrayLiteral("text/html"), false);
        return;
    }
}

void MockAnthropicServer::respond(QTcpSocket *socket, Received &request, int status, const QByteArray &body,
                                  const QList<std::pair<QByteArray, QByteArray>> &extraHeaders,
                                  const QByteArray &contentType, bool withRequestId, bool openAi)
{
    request.status = status;
    if (withRequestId)
        request.requestId = QStringLiteral("req_mock%1").arg(m_nextId++, 4, 10, QLatin1Char('0'));
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason(status) + "\r\n";
    head += "Content-Type: " + contentType + "\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    head += "Connection: close\r\n";
    if (withRequestId)
        head += (openAi ? "x-request-id: " : "request-id: ") + request.requestId.toUtf8() + "\r\n";
    for (const auto &[name, value] : extraHeaders)
        head += name + ": " + value + "\r\n";
    head += "\r\n";
    received.append(request);
    socket->write(head + body);
    socket->disconnectFromHost();
}

} // namespace fb::test
