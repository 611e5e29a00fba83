// Русские тексты настроек уведомлений, напоминаний и их писем (src/notifications, src/reminders).
import type { remindersEn, remindersEventsEn, remindersKindsEn } from './reminders.en.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const remindersKindsRu: Shape<typeof remindersKindsEn> = {
  taskDueTomorrow: 'Срок завтра: {title}',
  taskOverdue: 'Просрочено (рабочих дней: {days}): {title}',
  taskOverdueEscalated: 'Просрочено больше двух рабочих дней, исполнитель {person}: {title}',
  reminder: 'Всё ещё ждёт вашего утверждения (рабочих дней: {days}): {title}',
  reminderEscalated: 'Всё ещё ждёт утверждения владельца (рабочих дней: {days}): {title}',
};

export const remindersEventsRu: Shape<typeof remindersEventsEn> = {
  engagement_setTimeZone: 'изменил(а) часовой пояс проекта',
};

export const remindersServiceMessagesRu = {
  'must be a time zone such as Europe/Moscow, Asia/Yekaterinburg or UTC': 'Укажите часовой пояс, например Europe/Moscow, Asia/Yekaterinburg или UTC',
  'Only the consultant sees the reminders and failed jobs of an engagement': 'Напоминания и сбои фоновых задач проекта видит только консультант',
};

export const remindersRu: Shape<typeof remindersEn> = {
  kindName: {
    invited: 'Меня добавили в проект',
    taskAssigned: 'Мне назначили задачу',
    taskDueTomorrow: 'Срок задачи — завтра',
    taskOverdue: 'Задача просрочена',
    reminder: 'Напоминания о документах, ждущих утверждения',
    documentSubmitted: 'Документ отправлен мне на утверждение',
    changesRequested: 'По документу попросили исправления',
    documentApproved: 'Документ утверждён',
    stageSignedOff: 'Этап принят',
    practicalSubmitted: 'Практическая работа ждёт проверки',
    practicalReviewed: 'Мою практическую работу проверили',
    contentSubmitted: 'Публикация отправлена мне на утверждение',
    contentChangesRequested: 'По моей публикации попросили исправления',
    contentApproved: 'Моя публикация утверждена',
    mention: 'Меня упомянули',
  },
  mode: { now: 'Сразу', digest: 'Сводкой раз в день', off: 'Не присылать' },
  preferences: {
    link: 'Настройки уведомлений',
    title: 'Настройки уведомлений',
    back: 'К уведомлениям',
    intro: '«Сразу» — уведомление появляется здесь и сразу приходит письмом; «Сводкой раз в день» — появляется здесь, а письмо приходит одно в день со всеми такими уведомлениями; «Не присылать» — ни здесь, ни письмом.',
    kind: 'Что произошло',
    save: 'Сохранить настройки',
    saved: 'Настройки уведомлений сохранены.',
    unknown: 'Часть выбора не удалось понять, поэтому ничего не сохранено: выберите заново в отмеченных строках.',
  },
  unsubscribe: {
    title: 'Отписаться от писем',
    invalid: 'Ссылка для отписки недействительна (возможно, она обрезана). Войдите в Troika и измените настройки уведомлений.',
    confirm: 'Больше не присылать письма и уведомления этого вида: {kind}?',
    button: 'Отписаться',
    done: 'Готово: уведомления «{kind}» больше не придут.',
    later: 'Включить их снова можно в настройках уведомлений:',
  },
  engagement: {
    link: 'Напоминания и сбои',
    title: 'Напоминания: {client}',
    back: 'К проекту',
    timeZone: 'Часовой пояс',
    timeZoneHint: 'Напоминания считают рабочие дни, с понедельника по пятницу, по календарю этого пояса: документ, который ждёт утверждения больше рабочего дня, напоминает о себе владельцу, просроченная задача — исполнителю.',
    timeZoneLabel: 'Часовой пояс (например, Europe/Moscow)',
    save: 'Сохранить часовой пояс',
    saved: 'Часовой пояс проекта теперь {zone}.',
    failed: 'Фоновые задачи, которые не удались',
    noneFailed: 'Ни одна фоновая задача этого проекта не сорвалась.',
    failedHint: 'Их пытались выполнить снова со всё большими паузами, затем прекратили; они хранятся 30 дней.',
    what: 'Что',
    attempts: 'Попыток',
    failedAt: 'Прекращено',
    error: 'Последняя ошибка',
    mailTo: 'Письмо «{kind}» для {person}',
  },
  mail: {
    engagement: 'Проект: {client}',
    comment: 'Комментарий:',
    open: 'Открыть в Troika:',
    why: 'Вы получили это письмо, потому что для «{kind}» в настройках уведомлений выбрано «Сразу».',
    preferences: 'Изменить настройки уведомлений:',
    unsubscribe: 'Отписаться от писем этого вида одним нажатием:',
    // Russian has four plural forms; the catalog's type names the two of English.
    digestSubject: { one: 'Troika: {count} уведомление за день', few: 'Troika: {count} уведомления за день', many: 'Troika: {count} уведомлений за день', other: 'Troika: {count} уведомления за день' } as { one: string; other: string },
    digestIntro: 'Что произошло в ваших проектах — по видам уведомлений, которые вы читаете раз в день:',
    digestWhy: 'Вы получили эту сводку, потому что для некоторых видов выбрано «Сводкой раз в день». Изменить можно здесь:',
  },
};
