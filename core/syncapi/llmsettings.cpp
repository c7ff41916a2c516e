#include "syncapi/llmsettings.h"

#include <QSettings>

namespace fb {

namespace {

const QString kProvider = QStringLiteral("llm/provider");
const QString kBaseUrl = QStringLiteral("llm/baseUrl");
const QString kModel = QStringLiteral("llm/model");
const QString kStructured = QStringLiteral("llm/structuredOutput");
const QString kTimeout = QStringLiteral("llm/timeoutSeconds");
const QString kRetries = QStringLiteral("llm/maxRetries");

LlmProvider parseProvider(const QString &text, LlmProvider fallback)
{
    const QString lower = text.trimmed().toLower();
    if (lower == QStringLiteral("anthropic"))
        return LlmProvider::Anthropic;
    if (lower == QStringLiteral("openai") || lower == QStringLiteral("openai-compatible"))
        return LlmProvider::OpenAiCompatible;
    return fallback;
}

} // namespace

QString toString(LlmProvider provider)
{
    return provider == LlmProvider::Anthropic ? QStringLiteral("anthropic") : QStringLiteral("openai");
}

QUrl LlmSettings::effectiveBaseUrl() const
{
    if (!baseUrl.isEmpty())
        return baseUrl;
    return provider == LlmProvider::Anthropic ? QUrl(QStringLiteral("https://api.anthropic.com"))
                                              : QUrl(QStringLiteral("http://127.0.0.1:8080"));
}

QString LlmSettings::effectiveModel() const
{
    if (!model.isEmpty())
        return model;
    return provider == LlmProvider::Anthropic ? QStringLiteral("claude-sonnet-4-5")
                                              : QStringLiteral("local-model");
}

LlmSettings LlmSettings::fromSettings(const QSettings &settings)
{
    LlmSettings s;
    s.provider = parseProvider(settings.value(kProvider).toString(), LlmProvider::Anthropic);
    s.baseUrl = QUrl(settings.value(kBaseUrl).toString());
    s.model = settings.value(kModel).toString();
    s.structuredOutput = settings.value(kStructured, false).toBool();
    bool ok = false;
    const int timeout = settings.value(kTimeout).toInt(&ok);
    if (ok && timeout > 0)
        s.totalTimeout = std::chrono::seconds(timeout);
    const int retries = settings.value(kRetries).toInt(&ok);
    if (ok && retries >= 0 && retries <= 10)
        s.maxRetries = retries;
    return s;
}

LlmSettings LlmSettings::load(const QSettings &settings, const QProcessEnvironment &environment)
{
    LlmSettings s = fromSettings(settings);
    s.applyEnvironment(environment);
    return s;
}

void LlmSettings::applyEnvironment(const QProcessEnvironment &environment)
{
    const auto value = [&](const char *name) { return environment.value(QLatin1String(name)).trimmed(); };
    if (const QString p = value("FIELDBOOK_LLM_PROVIDER"); !p.isEmpty())
        provider = parseProvider(p, provider);
    if (const QString url = value("FIELDBOOK_LLM_BASE_URL"); !url.isEmpty())
        baseUrl = QUrl(url);
    if (const QString m = value("FIELDBOOK_LLM_MODEL"); !m.isEmpty())
        model = m;
    const QString key = value(provider == LlmProvider::Anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
    if (!key.isEmpty())
        apiKey = key;
}

void LlmSettings::save(QSettings &settings) const
{
    settings.setValue(kProvider, toString(provider));
    settings.setValue(kBaseUrl, baseUrl.toString());
    settings.setValue(kModel, model);
    settings.setValue(kStructured, structuredOutput);
    settings.setValue(kTimeout,
                      qlonglong(std::chrono::duration_cast<std::chrono::seconds>(totalTimeout).count()));
    settings.setValue(kRetries, maxRetries);
    // Never the key: see LlmKeyStore.
}

} // namespace fb
