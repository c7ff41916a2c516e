#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// Invoices with their status and totals.
class InvoicesPage final : public QWidget
{
    Q_OBJECT

public:
    explicit InvoicesPage(UiContext &context, QWidget *parent = nullptr);

public Q_SLOTS:
    void reload();

private:
    UiContext &m_context;
};

} // namespace fb::ui
