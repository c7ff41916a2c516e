#pragma once

#include "common/uicontext.h"
#include "support/testsupport.h"

#include <QApplication>
#include <QTest>
#include <QWidget>

#include <memory>

namespace fb::test {

/// A CoreFixture with the GUI's UiContext on it: what every GUI test starts from.
class UiFixture : public CoreFixture
{
public:
    explicit UiFixture(LlmClient *llm = nullptr);

    ui::UiContext &context() { return *m_context; }

    /// One service of each pricing type: "Window cleaning" fixed $120.00, "Gutter clearing" per unit
    /// $4.50/metre, "Repairs" flexible.
    struct Catalog
    {
        Service fixed;
        Service perUnit;
        Service flexible;
    };
    Catalog addCatalog();

private:
    std::unique_ptr<ui::UiContext> m_context;
};

/// The visible top-level widget of type T named `objectName` (a dialog a screen opened), or null.
template <typename T> T *visibleTopLevel(const QString &objectName)
{
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (auto *t = qobject_cast<T *>(w); t && t->isVisible() && t->objectName() == objectName)
            return t;
    }
    return nullptr;
}

/// Waits (processing events) up to `timeoutMs` for a visible top-level T named `objectName`.
template <typename T> T *waitForTopLevel(const QString &objectName, int timeoutMs = 5000)
{
    T *found = nullptr;
    (void)QTest::qWaitFor([&] { return (found = visibleTopLevel<T>(objectName)) != nullptr; }, timeoutMs);
    return found;
}

/// The text of every error message box open now (objectName "errorMessage"), closing them.
QStringList takeErrorMessages();

/// Waits until every read asked of the window's read thread so far (ContactSearch) has answered, the answers
/// delivered (or dropped) on this thread: the read thread answers in order, so a read asked now answers last.
/// False after 5 s.
bool drainReads(ui::UiContext &context);

} // namespace fb::test

/// The child of `parent` of type T named `name`; fails the test when there is none.
#define FIND_CHILD(var, T, parent, name)                                                                     \
    T *var = (parent)->findChild<T *>(QStringLiteral(name));                                                 \
    QVERIFY2(var != nullptr, "no " #T " named " name)
