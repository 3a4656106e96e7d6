"""The title editor: a series' details, its localized names and its episodes, saved as one."""

from __future__ import annotations

import copy
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rightsdesk.domain.catalogue import DEFAULT_FORMAT, EpisodeDraft, TitleDraft
from rightsdesk.domain.errors import Problem
from rightsdesk.domain.words import plural, runtime
from rightsdesk.persistence.database import Database
from rightsdesk.services import catalogue, reference
from rightsdesk.services.audit import current_user
from rightsdesk.ui.catalogue.episodes import EpisodeTableModel, fit_columns
from rightsdesk.services.actions import UnitOfWork
from rightsdesk.ui.actions import run
from rightsdesk.ui.forms import DraftEditor, add_history_button, show_problems, size_for_screen

NO_YEAR = 0
SEPARATOR = " — "


def _code_of(text: str) -> str:
    """'zh-Hans — Chinese (Simplified)' -> 'zh-Hans'; a typed tag is taken as it is."""
    return text.split(SEPARATOR, 1)[0].strip()


class TitleEditor(DraftEditor):
    """Edits one title (or a new one). `saved_id` is set once it has been saved."""

    noun = "title"

    def __init__(self, database: Database, title_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        with database.read() as session:
            self.original = _comparable(
                catalogue.load_title(session, title_id) if title_id is not None else TitleDraft(original_name="")
            )
            countries = reference.countries(session)
            languages = reference.languages(session)
            producers = catalogue.producer_choices(session)
        self.setObjectName("title-editor")
        size_for_screen(self, 900, 720)

        self.name = QLineEdit(objectName="original_name")
        self.internal_id = QLineEdit(objectName="internal_id", placeholderText="given automatically")
        self.language = QComboBox(objectName="original_language", editable=True)
        self.language.addItem("")
        self.language.addItems([f"{tag}{SEPARATOR}{name}" for tag, name in languages])
        self.country = QComboBox(objectName="country_of_origin")
        self.country.addItem("", "")
        for code, name in countries:
            self.country.addItem(f"{code}{SEPARATOR}{name}", code)
        self.genre = QLineEdit(objectName="genre")
        self.year = QSpinBox(objectName="production_year", minimum=NO_YEAR, maximum=date.today().year + 5)
        self.year.setSpecialValueText("—")
        self.producer = QComboBox(objectName="producer")
        self.producer.addItem("(none)", None)
        for party_id, party_name in producers:
            self.producer.addItem(party_name, party_id)
        self.eidr = QLineEdit(objectName="eidr", placeholderText="10.5240/XXXX-XXXX-XXXX-XXXX-XXXX-C")
        self.aspect_ratio = QLineEdit(objectName="aspect_ratio")
        self.synopsis = QPlainTextEdit(objectName="synopsis")
        self.synopsis.setMaximumHeight(70)

        details = QFormLayout()
        details.addRow("&Name", self.name)
        details.addRow("Internal &ID", self.internal_id)
        details.addRow("Original &language", self.language)
        details.addRow("&Country of origin", self.country)
        details.addRow("&Genre", self.genre)
        details.addRow("Production &year", self.year)
        details.addRow("&Producer", self.producer)
        details.addRow("&EIDR ID", self.eidr)
        details.addRow("&Format", self.aspect_ratio)
        details.addRow("S&ynopsis", self.synopsis)

        self.localized = QTableWidget(0, 2, objectName="localized_names")
        self.localized.setHorizontalHeaderLabels(["Language (BCP 47)", "Localized name"])
        self.localized.horizontalHeader().setStretchLastSection(True)
        # (the default width cut the header to ".anguage (BCP 47")
        self.localized.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.localized.verticalHeader().hide()
        add_name = QPushButton("Add name")
        add_name.clicked.connect(lambda: self._add_localized_name("", ""))
        remove_name = QPushButton("Remove name")
        remove_name.clicked.connect(lambda: self.localized.removeRow(self.localized.currentRow()))
        names_box = QGroupBox("Localized names")
        names_layout = QVBoxLayout(names_box)
        names_layout.addWidget(self.localized)
        names_buttons = QHBoxLayout()
        names_buttons.addWidget(add_name)
        names_buttons.addWidget(remove_name)
        names_buttons.addStretch()
        names_layout.addLayout(names_buttons)

        self.episodes = EpisodeTableModel(editable=True, parent=self)
        self.episodes.edit_refused.connect(lambda message: show_problems(self.problems, message))
        self.episode_view = QTableView(objectName="episodes")
        self.episode_view.setModel(self.episodes)
        self.episode_view.verticalHeader().hide()
        self.episode_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fit_columns(self.episode_view)
        add_episode = QPushButton("Add &episode")
        add_episode.clicked.connect(self.add_episode)
        add_many = QPushButton("Add &several…")
        add_many.clicked.connect(self.add_several_episodes)
        remove_episode = QPushButton("&Remove selected")
        remove_episode.clicked.connect(self.remove_selected_episodes)
        QShortcut(QKeySequence.StandardKey.Delete, self.episode_view, activated=self.remove_selected_episodes,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.episode_summary = QLabel()
        episodes_box = QGroupBox("Episodes")
        episodes_layout = QVBoxLayout(episodes_box)
        episodes_layout.addWidget(self.episode_view)
        episode_buttons = QHBoxLayout()
        for button in (add_episode, add_many, remove_episode):
            episode_buttons.addWidget(button)
        episode_buttons.addStretch()
        episode_buttons.addWidget(self.episode_summary)
        episodes_layout.addLayout(episode_buttons)
        for signal in (self.episodes.dataChanged, self.episodes.rowsInserted, self.episodes.rowsRemoved, self.episodes.modelReset):
            signal.connect(self._summarize_episodes)

        # every change to the title, and revenue assigned to it from the Unmatched tab
        add_history_button(self, self.buttons, database, "title", title_id, self.original.original_name)

        left = QVBoxLayout()
        left.addLayout(details)
        left.addWidget(names_box, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(episodes_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self.show_draft(self.original)

    # -- between the form and a draft -------------------------------------------------------

    def show_draft(self, draft: TitleDraft) -> None:
        self.setWindowTitle(f"Title: {draft.original_name}" if draft.id else "New title")
        self.name.setText(draft.original_name)
        self.internal_id.setText(draft.internal_id)
        index = next((i for i in range(self.language.count()) if _code_of(self.language.itemText(i)) == draft.original_language), -1)
        if index >= 0:
            self.language.setCurrentIndex(index)
        else:
            self.language.setEditText(draft.original_language)
        self.country.setCurrentIndex(max(0, self.country.findData(draft.country_of_origin)))
        self.genre.setText(draft.genre)
        self.year.setValue(draft.production_year or NO_YEAR)
        self.producer.setCurrentIndex(max(0, self.producer.findData(draft.producer_id)))
        self.eidr.setText(draft.eidr)
        self.aspect_ratio.setText(draft.aspect_ratio or DEFAULT_FORMAT)
        self.synopsis.setPlainText(draft.synopsis)
        self.localized.setRowCount(0)
        for tag, name in sorted(draft.localized_names.items()):
            self._add_localized_name(tag, name)
        self.episodes.set_episodes(copy.deepcopy(draft.episodes))

    def draft_checked(self, problems: list[Problem]) -> TitleDraft:
        """What the form holds now, as the service takes it (every field reads)."""
        names = {}
        for row in range(self.localized.rowCount()):
            tag_item, name_item = self.localized.item(row, 0), self.localized.item(row, 1)
            tag = tag_item.text().strip() if tag_item else ""
            name = name_item.text() if name_item else ""
            if tag or name.strip():
                names[tag] = name
        return TitleDraft(
            id=self.original.id,
            version=self.original.version,
            original_name=self.name.text(),
            internal_id=self.internal_id.text(),
            original_language=_code_of(self.language.currentText()),
            country_of_origin=self.country.currentData() or "",
            genre=self.genre.text(),
            production_year=self.year.value() or None,
            producer_id=self.producer.currentData(),
            eidr=self.eidr.text(),
            aspect_ratio=self.aspect_ratio.text(),
            synopsis=self.synopsis.toPlainText(),
            localized_names=names,
            episodes=copy.deepcopy(self.episodes.episodes),
        )

    def draft(self) -> TitleDraft:
        return self.draft_checked([])

    def load_saved(self, session: UnitOfWork) -> TitleDraft | None:
        return _comparable(catalogue.load_title(session, self.original.id)) if self.original.id else None

    def write(self, draft: TitleDraft) -> int:
        return run(self.database, catalogue.save_title, draft, user=current_user())

    # -- episodes ---------------------------------------------------------------------------

    def add_episode(self) -> None:
        previous = self.episodes.episodes[-1].runtime_seconds if self.episodes.episodes else 90
        self.episodes.append([EpisodeDraft(self.episodes.next_number(), "", previous)])
        name = self.episodes.index(self.episodes.rowCount() - 1, 1)
        # Making the new cell current first commits and closes any editor still open on the
        # previous row; without it the view refuses to open a second editor.
        self.episode_view.setCurrentIndex(name)
        self.episode_view.edit(name)

    def add_several_episodes(self) -> None:
        count, ok = QInputDialog.getInt(self, "Add episodes", "How many episodes?", 10, 1, 500)
        if ok:
            first = self.episodes.next_number()
            self.episodes.append([EpisodeDraft(first + i, "", 90) for i in range(count)])
            self.episode_view.scrollToBottom()

    def remove_selected_episodes(self) -> None:
        rows = [index.row() for index in self.episode_view.selectionModel().selectedRows()]
        self.episodes.remove_rows(rows)

    def _summarize_episodes(self, *_: object) -> None:
        total = sum(e.runtime_seconds for e in self.episodes.episodes)
        # the runtime as the catalogue list shows it (1:20:39), not in another format of its own
        self.episode_summary.setText(f"{plural(len(self.episodes.episodes), 'episode')}, {runtime(total) or '0:00'}")

    def _add_localized_name(self, tag: str, name: str) -> None:
        row = self.localized.rowCount()
        self.localized.insertRow(row)
        self.localized.setItem(row, 0, QTableWidgetItem(tag))
        self.localized.setItem(row, 1, QTableWidgetItem(name))


def _comparable(draft: TitleDraft) -> TitleDraft:
    """The title as the form gives it back unchanged (a title without a format shows the default)."""
    shown = copy.deepcopy(draft)
    shown.aspect_ratio = shown.aspect_ratio or DEFAULT_FORMAT
    return shown
