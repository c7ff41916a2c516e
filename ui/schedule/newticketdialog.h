#pragma once

#include "common/fielderror.h"

#include <QDate>
#include <QUuid>

class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QListView;
class QPushButton;
class QSpinBox;
class QTimeEdit;
class QVBoxLayout;

namespace fb::ui {

class CustomerPicker;
class ServicePickModel;
class UiContext;

/// Books a job: find the customer (or create one), pick one of their addresses, the date, time and duration,
/// and optionally services from the catalog. Create is one action: the ticket, then its line items. Opened
/// with open(); on success it closes and emits ticketCreated(). A refusal is said under the field it concerns
/// (customer, address, when), in words; Escape after choosing or typing anything asks before discarding it
/// (EditDialog).
class NewTicketDialog final : public EditDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NewTicketDialog)

public:
    /// `day` is the date proposed (at the next full hour).
    NewTicketDialog(UiContext &context, const QDate &day, QWidget *parent = nullptr);

    /// Picks a customer, e.g. the one a new-customer dialog just saved.
    void selectContact(const QUuid &contactId);
    QUuid contactId() const;

public Q_SLOTS:
    /// Creates the ticket. A refused ticket keeps the dialog open with the core's error; once the ticket
    /// exists the dialog closes, and a line item the core refuses is reported (the ticket stays, without it).
    void accept() override;

Q_SIGNALS:
    void ticketCreated(const QUuid &ticketId);

private:
    void buildCustomer();
    QWidget *buildWhen(const QDate &day);
    QVBoxLayout *buildServices();
    QDialogButtonBox *buildButtons();
    void loadAddresses();
    void updateCreateButton();
    void openNewCustomer();

    UiContext &m_context;
    CustomerPicker *m_customer;
    QPushButton *m_newCustomer = nullptr;
    ServicePickModel *m_services = nullptr;
    QComboBox *m_address = nullptr;
    QDateEdit *m_dateEdit = nullptr;
    QTimeEdit *m_timeEdit = nullptr;
    QSpinBox *m_duration = nullptr;
    QListView *m_servicesView = nullptr;
    QPushButton *m_createButton = nullptr;
    FieldErrors m_fieldErrors{this};
};

} // namespace fb::ui
