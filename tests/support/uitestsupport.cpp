#include "uitestsupport.h"

#include "common/contactsearch.h"

#include <QMessageBox>

namespace fb::test {

UiFixture::UiFixture(LlmClient *llm) : CoreFixture(llm), m_context(std::make_unique<ui::UiContext>(core()))
{
}

UiFixture::Catalog UiFixture::addCatalog()
{
    ServiceCreate fixed;
    fixed.name = QStringLiteral("Window cleaning");
    fixed.pricingType = PricingType::Fixed;
    fixed.defaultPrice = Money::fromCents(12000);
    ServiceCreate perUnit;
    perUnit.name = QStringLiteral("Gutter clearing");
    perUnit.pricingType = PricingType::PerUnit;
    perUnit.unitPrice = Money::fromCents(450);
    perUnit.unitLabel = QStringLiteral("metre");
    ServiceCreate flexible;
    flexible.name = QStringLiteral("Repairs");
    flexible.pricingType = PricingType::Flexible;
    auto a = core().catalog.createService(fixed);
    auto b = core().catalog.createService(perUnit);
    auto c = core().catalog.createService(flexible);
    if (!a || !b || !c)
        qFatal("cannot create the test catalog");
    return {*a, *b, *c};
}

QStringList takeErrorMessages()
{
    QStringList texts;
    for (QWidget *w : QApplication::topLevelWidgets()) {
        auto *box = qobject_cast<QMessageBox *>(w);
        if (box && box->isVisible() && box->objectName() == QStringLiteral("errorMessage")) {
            texts << box->text() + QStringLiteral(": ") + box->informativeText();
            box->close();
        }
    }
    return texts;
}

bool drainReads(ui::UiContext &context)
{
    bool answered = false;
    ui::ContactSearch probe(context, [&answered](const ui::ContactSearch::Answer &) { answered = true; });
    probe.start({QStringLiteral("drain"), 1, {}, false});
    return QTest::qWaitFor([&answered] { return answered; }, 5000);
}

} // namespace fb::test
