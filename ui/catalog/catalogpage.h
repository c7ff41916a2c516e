#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// The catalog of services, of each pricing type: create and edit.
class CatalogPage final : public QWidget
{
    Q_OBJECT

public:
    explicit CatalogPage(UiContext &context, QWidget *parent = nullptr);

public Q_SLOTS:
    void reload();

private:
    UiContext &m_context;
};

} // namespace fb::ui
