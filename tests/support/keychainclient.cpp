// keychain_client: one keychain job in a process of its own, as the app runs it (sync/keychain.h), for tests
// that need a fresh process: qtkeychain picks its back end and QtDBus its session bus once per process.
//
//   keychain_client read ENTRY TIMEOUT_MS
//   keychain_client write ENTRY TIMEOUT_MS        (the secret on stdin: never on a command line)
//   keychain_client remove ENTRY TIMEOUT_MS
//   keychain_client key-read anthropic|openai TIMEOUT_MS     (LlmKeyStore)
//   keychain_client password-read URL TIMEOUT_MS             (ServerCredentialStore)
//
// Prints one JSON object: outcome (keychain jobs) or ok/code (stores), reason or message, the secret read,
// answeredMs (from the call to the answer) and maxGapMs (the longest the calling thread went without running
// a 10 ms timer: it must never wait for the keychain). Then it ends the keychain thread as app/main.cpp does.
#include "keychain.h"
#include "llm/llmkeystore.h"
#include "servercredentialstore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

using namespace fb;
using namespace fb::sync;

namespace {

QString outcomeName(keychain::Outcome outcome)
{
    switch (outcome) {
    case keychain::Outcome::Done:
        return QStringLiteral("Done");
    case keychain::Outcome::NotFound:
        return QStringLiteral("NotFound");
    case keychain::Outcome::NoAnswer:
        return QStringLiteral("NoAnswer");
    case keychain::Outcome::NotAvailable:
        return QStringLiteral("NotAvailable");
    case keychain::Outcome::Failed:
        return QStringLiteral("Failed");
    }
    return {};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 4) {
        std::fprintf(stderr,
                     "usage: keychain_client read|write|remove|key-read|password-read WHAT TIMEOUT_MS\n");
        return 2;
    }
    const QString command = args.at(1);
    const QString what = args.at(2);
    const std::chrono::milliseconds timeout(args.at(3).toLongLong());

    QJsonObject result;
    QElapsedTimer clock;
    qint64 lastTick = 0;
    qint64 maxGap = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        maxGap = std::max(maxGap, clock.elapsed() - lastTick);
        lastTick = clock.elapsed();
    });
    const auto finished = [&](QJsonObject answer) {
        answer.insert(QStringLiteral("answeredMs"), clock.elapsed());
        maxGap = std::max(maxGap, clock.elapsed() - lastTick);
        answer.insert(QStringLiteral("maxGapMs"), maxGap);
        result = answer;
        app.quit();
    };
    const auto fromAnswer = [&](const keychain::Answer &answer) {
        finished({{QStringLiteral("outcome"), outcomeName(answer.outcome)},
                  {QStringLiteral("reason"), answer.reason},
                  {QStringLiteral("secret"), answer.secret}});
    };
    const auto fromResult = [&](const Result<QString> &read) {
        if (read)
            finished({{QStringLiteral("ok"), true}, {QStringLiteral("secret"), *read}});
        else
            finished({{QStringLiteral("ok"), false},
                      {QStringLiteral("code"), errorCodeName(read.error().code)},
                      {QStringLiteral("message"), read.error().message}});
    };

    clock.start();
    tick.start(10);
    if (command == QLatin1String("read")) {
        keychain::read(what, fromAnswer, timeout);
    } else if (command == QLatin1String("write")) {
        const QString secret = QTextStream(stdin).readAll().trimmed();
        clock.restart();
        keychain::write(what, secret, fromAnswer, timeout);
    } else if (command == QLatin1String("remove")) {
        keychain::remove(what, fromAnswer, timeout);
    } else if (command == QLatin1String("key-read")) {
        LlmKeyStore::read(what == QLatin1String("openai") ? LlmProvider::OpenAiCompatible
                                                          : LlmProvider::Anthropic,
                          fromResult, timeout);
    } else if (command == QLatin1String("password-read")) {
        ServerCredentialStore::read(what, fromResult, timeout);
    } else {
        std::fprintf(stderr, "keychain_client: unknown command\n");
        return 2;
    }
    app.exec();

    std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    // As app/main.cpp: a keychain thread stuck for good must not hold the process at exit.
    if (!keychain::shutdown(std::chrono::seconds(2)))
        std::_Exit(0);
    return 0;
}
