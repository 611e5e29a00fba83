// Russian texts of comments; the same keys as comments.en.ts.
import type { commentsEn, commentsEventsEn, commentsNotificationKindsEn } from './comments.en.ts';

type Same<T> = { [K in keyof T]: string };

export const commentsRu: Same<typeof commentsEn> = {
  title: 'Обсуждение',
  none: 'Комментариев пока нет.',
  newTitle: 'Оставить комментарий',
  field: 'К чему',
  wholeDocument: 'ко всей версии',
  body: 'Комментарий',
  hint: 'Можно Markdown: **жирный**, *курсив*, списки, [ссылки](https://example.com); не больше {count} символов. Отправленный комментарий можно исправить в течение 10 минут.',
  mentionHint: 'Чтобы упомянуть участника, напишите @ и часть его адреса почты до знака @ — он получит уведомление: {handles}.',
  send: 'Отправить комментарий',
  reply: 'Ответить',
  replyLabel: 'Ваш ответ: {name}',
  sendReply: 'Отправить ответ',
  added: 'Комментарий добавлен.',
  saved: 'Комментарий сохранён.',
  edited: 'исправлено',
  edit: 'Исправить',
  editTitle: 'Исправить комментарий',
  editUntil: 'можно исправить до {time}',
  editClosed: 'Этот комментарий уже нельзя исправить: автор может править комментарий только 10 минут после отправки.',
  save: 'Сохранить комментарий',
  back: 'Назад к обсуждению',
  aboutField: 'к полю «{field}»',
  makeTask: 'Сделать задачу из комментария',
  taskTitle: 'Задача из комментария',
  taskPrefilled: 'Поля заполнены по комментарию: название — по первой строке, исполнитель — первый упомянутый участник, срок — дата из текста (если её нет, через неделю). Задача будет ссылаться на этот комментарий.',
  taskName: 'Задача',
  makeTaskButton: 'Создать задачу',
  taskMade: 'Задача создана и поручена.',
  taskAlready: 'Из этого комментария уже сделана задача — открыть её.',
  taskNotAllowed: 'Сделать задачу из комментария могут консультант и владелец, пока проект в черновике или идёт этап.',
  taskLabel: 'Задача',
  taskFacts: '{assignee}, срок {deadline}',
  madeFrom: 'Задача сделана из комментария — открыть обсуждение',
};

export const commentsEventsRu: Same<typeof commentsEventsEn> = {
  comment_add: 'новый комментарий',
  comment_edit: 'исправление комментария',
  comment_task: 'задача из комментария',
};

export const commentsNotificationKindsRu: Same<typeof commentsNotificationKindsEn> = {
  mention: 'Вас упомянули: {title}',
};

/** Service messages of comments, keyed by their English text. */
export const commentsServiceMessagesRu: Record<string, string> = {
  'write the comment': 'Напишите комментарий',
  'choose what the comment is about': 'Выберите, к чему относится комментарий',
  'choose one of the fields of this document': 'Выберите одно из полей этого документа',
  'the comment you answer is not in this discussion': 'Комментария, на который вы отвечаете, нет в этом обсуждении',
  'Only the author may edit a comment': 'Исправить комментарий может только его автор',
  'The comment can no longer be edited': 'Комментарий уже нельзя исправить',
  'a comment may be edited for 10 minutes after it is written': 'комментарий можно исправить только в течение 10 минут после отправки',
  'The discussion is closed': 'Обсуждение закрыто',
  'give the task a title': 'Дайте задаче название',
  'choose a deadline such as 2026-12-01': 'Укажите срок, например 2026-12-01',
  'the assignee cannot read this discussion: the task it is on is given to someone else': 'Исполнитель не видит это обсуждение: задача, к которой оно относится, поручена другому',
  'A task was already made of this comment': 'Из этого комментария уже сделана задача',
};
