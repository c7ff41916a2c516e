#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

namespace fb::ui {

class UiContext;

/// Scheduled reach-out messages with their status and date.
class ReachOutsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit ReachOutsPage(UiContext &context, QWidget *parent = nullptr);

public Q_SLOTS:
    void reload();

private:
    UiContext &m_context;
};

} // namespace fb::ui
