#include "catalogpage.h"

#include "common/feedback.h"
#include "common/theme.h"
#include "common/uicontext.h"
#include "core.h"
#include "servicedialog.h"
#include "servicelistmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace fb::ui {

namespace {
// Ctrl+N is the main window's New ticket; a new service is the page's own New.
const QKeySequence kNewServiceKey(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
} // namespace

CatalogPage::CatalogPage(UiContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_model(new ServiceListModel(this)), m_view(new QTableView(this)),
      m_showInactive(new QCheckBox(tr("Show &inactive"), this)), m_pricingFilter(new QComboBox(this)),
      m_edit(new QPushButton(themedIcon(QStringLiteral("document-edit")), tr("&Edit..."), this)),
      m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("catalogPage"));

    auto *newButton = new QPushButton(themedIcon(QStringLiteral("list-add")), tr("New service"), this);
    newButton->setObjectName(QStringLiteral("newServiceButton"));
    newButton->setToolTip(withShortcut(tr("Add a service to the catalog"), kNewServiceKey));
    connect(newButton, &QPushButton::clicked, this, &CatalogPage::newService);
    // A window shortcut of this page: active only while the page is the one shown.
    new QShortcut(kNewServiceKey, this, this, &CatalogPage::newService, Qt::WindowShortcut);

    m_edit->setObjectName(QStringLiteral("editServiceButton"));
    m_edit->setToolTip(withShortcut(tr("Edit the selected service"), QKeySequence(Qt::Key_Return)));
    m_edit->setEnabled(false);
    connect(m_edit, &QPushButton::clicked, this, &CatalogPage::editService);

    m_showInactive->setObjectName(QStringLiteral("showInactiveCheck"));
    m_showInactive->setToolTip(tr("List services no longer offered, greyed"));
    connect(m_showInactive, &QCheckBox::toggled, this, &CatalogPage::reload);

    // Services by pricing type: the whole catalog, or one kind at a time.
    m_pricingFilter->setObjectName(QStringLiteral("pricingTypeFilter"));
    m_pricingFilter->addItem(tr("All pricing types"));
    m_pricingFilter->addItem(tr("Fixed price"), int(PricingType::Fixed));
    m_pricingFilter->addItem(tr("Per unit"), int(PricingType::PerUnit));
    m_pricingFilter->addItem(tr("Priced on the job"), int(PricingType::Flexible));
    m_pricingFilter->setToolTip(tr("Show the services of one pricing type"));
    connect(m_pricingFilter, &QComboBox::currentIndexChanged, this, &CatalogPage::reload);

    m_view->setObjectName(QStringLiteral("servicesView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(ServiceListModel::Name, QHeaderView::Stretch);
    header->setSectionResizeMode(ServiceListModel::Pricing, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ServiceListModel::Price, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ServiceListModel::Active, QHeaderView::ResizeToContents);
    connect(m_view, &QTableView::doubleClicked, this, &CatalogPage::editService);
    // Widget shortcuts: Enter on the list edits (the key does not travel on to a default button).
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter})
        new QShortcut(QKeySequence(key), m_view, this, &CatalogPage::editService, Qt::WidgetShortcut);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { m_edit->setEnabled(current.isValid()); });

    m_status->setObjectName(QStringLiteral("catalogStatus"));
    m_status->setWordWrap(true);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(kSpacing);
    bar->addWidget(newButton);
    bar->addWidget(m_edit);
    bar->addStretch();
    bar->addWidget(m_pricingFilter);
    bar->addWidget(m_showInactive);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2 * kSpacing, 2 * kSpacing, 2 * kSpacing, 2 * kSpacing);
    layout->setSpacing(kSpacing);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    m_context.whenChanged(this, {QStringLiteral("service")}, [this] { reload(); });
    setFocusProxy(m_view);
    reload();
}

QUuid CatalogPage::currentServiceId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(ServiceListModel::IdRole).toUuid() : QUuid();
}

void CatalogPage::reload()
{
    const QUuid selected = currentServiceId();
    auto services = m_context.core().catalog.listServices(m_showInactive->isChecked());
    if (!services) {
        m_model->setServices({});
        m_status->setText(tr("Could not read the catalog: %1").arg(services.error().toString()));
        m_edit->setEnabled(false);
        return;
    }
    const QVariant kind = m_pricingFilter->currentData();
    if (kind.isValid())
        services.value().removeIf(
            [&](const Service &service) { return int(service.pricingType) != kind.toInt(); });
    m_model->setServices(*services);
    m_status->setText(services->isEmpty() && !kind.isValid()
                          ? tr("No services yet: add what you sell with New service.")
                          : QString());
    m_status->setVisible(!m_status->text().isEmpty());
    select(selected);
}

void CatalogPage::select(const QUuid &serviceId)
{
    const int row = m_model->rowOf(serviceId);
    if (row < 0) {
        m_edit->setEnabled(false);
        return;
    }
    const QModelIndex index = m_model->index(row, ServiceListModel::Name);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    m_edit->setEnabled(true);
}

void CatalogPage::newService()
{
    openDialog({});
}

void CatalogPage::editService()
{
    const QUuid id = currentServiceId();
    if (!id.isNull())
        openDialog(id);
}

void CatalogPage::openDialog(const QUuid &serviceId)
{
    auto *dialog = new ServiceDialog(m_context, serviceId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        // A service saved inactive shows only with "Show inactive" on.
        select(dialog->serviceId());
        m_view->setFocus();
    });
    dialog->open();
}

} // namespace fb::ui
