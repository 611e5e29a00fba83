// Русские тексты «живой методики» (пересмотр документов после изменения исходного), отдельно от основного каталога.
import type { livingEn, livingEventsEn } from './living.en.ts';

type Widen<T> = T extends string ? string : { [K in keyof T]: Widen<T[K]> };

export const livingRu: Widen<typeof livingEn> = {
  gateReviewOpen: '«{document}» нужно пересмотреть: утверждена новая версия документа «{upstream}», на котором он основан',
  gateReviewChanges: '«{document}» нужно исправить после новой версии «{upstream}»: новая версия ещё не утверждена',
  review: {
    title: 'Нужен пересмотр: {document}',
    intro: '«{document}» (версия {version}) утверждали на основе версии {from} документа «{upstream}». С тех пор утверждена версия {to} документа «{upstream}». Ниже — что в нём изменилось.',
    status: {
      open: 'Ждёт решения владельца',
      changesRequested: 'Владелец попросил исправить: нужно утвердить новую версию «{document}»',
      confirmed: 'Подтверждено: «{document}» остаётся в силе',
      superseded: 'Закрыто: утверждена новая версия «{document}»',
    },
    resolved: '{person}, {date}',
    openDocument: 'Открыть «{document}»',
    openUpstream: 'Открыть «{upstream}»',
    changes: 'Что изменилось в «{upstream}»: версия {from} → версия {to}',
    noChanges: 'Обе версии читаются одинаково.',
    hashes: 'Хеши версий (SHA-256)',
    decide: 'Ваше решение',
    confirm: 'Остаётся в силе: подтвердить версию {version}',
    confirmHint: 'Подтверждение называет версию {version} документа «{document}» и версию {to} документа «{upstream}».',
    whatToChange: 'Что нужно исправить в «{document}»',
    requestChanges: 'Попросить исправить',
    confirmed: '«{document}» подтверждён: он остаётся в силе.',
    changesRequested: 'Вы попросили исправить «{document}». Пересмотр закроется, когда вы утвердите его новую версию.',
    comment: 'Комментарий владельца',
    needed: 'Нужен пересмотр',
    onDocument: {
      open: 'Нужен пересмотр: утверждена новая версия документа «{upstream}», на котором основан этот документ.',
      changesRequested: 'После изменения документа «{upstream}», на котором основан этот, владелец попросил исправить: пересмотр закроется, когда будет утверждена новая версия.',
      link: 'Открыть пересмотр',
    },
  },
  upgrade: {
    title: 'Версия методики: {client}',
    current: 'Проект идёт по методике {key}.',
    none: 'Более новой версии этой методики нет.',
    offer: 'Версия {key}',
    nothing: 'Ничего не меняется.',
    groups: { stages: 'Этапы', tasks: 'Задачи', documentTypes: 'Типы документов', fields: 'Поля документов', trainingModules: 'Модули обучения', gateRules: 'Правила перехода этапа' },
    kind: { added: 'добавлено', removed: 'удалено', changed: 'изменено' },
    refused: 'Перевести проект на эту версию нельзя:',
    keeps: 'Выполненные задачи и утверждённые документы сохраняются, если их идентификаторы есть в новой версии; новые обязательные задачи получают сроки по плану; удалённые задачи уходят в архив, а не стираются.',
    confirm: 'Перевести проект на {key}',
    done: 'Проект переведён с {from} на {to}.',
    link: 'Новая версия: {key}',
    version: 'версия методики',
    archived: 'в архиве',
    archivedNote: 'В новой версии методики, на которую переведён проект, такой задачи нет: она перенесена в архив, сохранена для истории и больше не требует работы.',
    archivedTasks: 'Задачи в архиве',
    archivedTasksHint: 'Этих задач нет в новых версиях методики. Они хранятся под прежними названиями — только для истории.',
    archivedInEvent: 'в архив: {tasks}',
  },
  verify: {
    title: 'Проверка по SHA-256',
    version: '«{document}», версия {version}, проект с клиентом {client}',
    approvedBy: 'Утвердил(а) {person}, {date}',
    notApproved: 'Эта версия не утверждалась.',
    open: 'Открыть документ',
    pdf: {
      dossier: 'Проектное досье клиента {client}, сформировано {date}',
      document: 'PDF документа «{title}» клиента {client}, сформирован {date}',
      'stage-report': 'Отчёт по этапу «{title}» клиента {client}, сформирован {date}',
    },
    exact: 'Файл ровно с этим SHA-256 — та самая копия, которую напечатала «Тройка»; любое изменение файла меняет его хеш.',
  },
};

export const livingEventsRu: Widen<typeof livingEventsEn> = {
  document_reviewNeeded: 'документ отмечен для пересмотра: изменился исходный документ',
  document_reviewConfirm: 'подтверждено, что документ остаётся в силе после изменения исходного',
  document_reviewRequestChanges: 'запрошены исправления по итогам пересмотра',
  methodology_upgrade: 'проект переведён на новую версию методики',
};

/** The services' refusals, keyed by their English text. */
export const livingServiceMessagesRu: Record<string, string> = {
  'Only the owner confirms that a document still holds': 'Подтвердить, что документ остаётся в силе, может только владелец',
  'Only the owner asks for changes after a review': 'Попросить исправления по итогам пересмотра может только владелец',
  'This review is already settled': 'Этот пересмотр уже закрыт',
  'Changes were asked for this document, so its new version settles the review': 'По этому документу уже попросили исправления, пересмотр закроется утверждением его новой версии',
  'The documents changed since you opened this review; read it again': 'Документы изменились, пока вы читали; откройте пересмотр заново',
  'Changes are already asked for this document': 'Исправления по этому документу уже запрошены',
  'The methodology cannot be upgraded': 'Перевести проект на эту версию методики нельзя',
  'version {0} is not newer than version {1}': 'версия {0} не новее версии {1}',
  'the stage the engagement is in, {0}, no longer exists in version {1}': 'этапа, в котором идёт проект ({0}), в версии {1} больше нет',
  'version {0} adds the stage {1} before {2}, the stage the engagement is in: the engagement would skip work it never did': 'версия {0} добавляет этап {1} перед этапом {2}, в котором идёт проект: проект пропустил бы работу, которой не делал',
  'The engagement moved to another methodology version since you opened the comparison; read it again': 'Пока вы читали сравнение, проект перевели на другую версию методики; откройте его заново',
};
