#pragma once

#include <QDate>
#include <QUuid>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace fb::ui {

class ServiceListModel;
class UiContext;

/// The catalog of services, of each pricing type: create and edit (ServiceDialog). Inactive services are
/// listed greyed when "Show inactive" is on.
class CatalogPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CatalogPage)

public:
    explicit CatalogPage(UiContext &context, QWidget *parent = nullptr);

    /// The selected service, or a null id.
    QUuid currentServiceId() const;

public Q_SLOTS:
    void reload();
    /// Opens ServiceDialog for a new service (Ctrl+Shift+N).
    void newService();
    /// Opens ServiceDialog for the selected service (Enter, double-click).
    void editService();

private:
    void select(const QUuid &serviceId);
    void openDialog(const QUuid &serviceId);

    UiContext &m_context;
    ServiceListModel *m_model;
    QTableView *m_view;
    QCheckBox *m_showInactive;
    QComboBox *m_pricingFilter; ///< all services, or one pricing type
    QPushButton *m_edit;
    QLabel *m_status;
};

} // namespace fb::ui
