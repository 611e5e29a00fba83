// Русские тексты KPI (src/kpi, views/kpi).
import type { kpiEn, kpiEventsEn } from './kpi.en.ts';

/** Russian plurals carry the few and many forms English has no use for (Intl.PluralRules('ru')). */
const plural = (forms: { one: string; few: string; many: string; other: string }) => forms as { one: string; other: string };

type Widen<T> = T extends string ? string : T extends Record<string, unknown> ? { [K in keyof T]: Widen<T[K]> } : T;

export const kpiRu: Widen<typeof kpiEn> = {
  link: 'KPI',
  title: 'KPI: {client}',
  intro: 'Каждая строка утверждённых целевых критериев — это KPI, который отслеживается по неделям (ISO-недели, с понедельника по воскресенье) в сравнении с линией от исходного значения к целевому.',
  none: 'KPI пока нет: они появятся, когда владелец утвердит целевые критерии.',
  summaryTitle: 'KPI',
  allLink: 'Все KPI с графиками',
  metric: 'Показатель',
  baseline: 'Исходное значение',
  target: 'Цель',
  targetDate: 'Срок',
  latest: 'Последний факт',
  expected: 'Ожидается на сегодня',
  statusLabel: 'Состояние',
  status: { noData: 'фактов пока нет', onTrack: 'по плану', behind: 'отстаёт', met: 'достигнут' },
  rule: 'Как определяется состояние: ожидаемое = исходное + (цель − исходное) × доля срока от {start} до {date}, которая уже прошла (на сегодня {share}%). «Достигнут» — последний факт дошёл до цели; «по плану» — дошёл до ожидаемого значения ({expected}); иначе — «отстаёт». Для показателя, который должен снижаться, «дошёл» означает «не выше».',
  measuredFrom: 'Суммируется по замерам опубликованных материалов: {measure}.',
  measuredWeekly: 'материалы каждой недели',
  measuredRunning: 'исходное значение плюс все недели до текущей',
  entered: 'внесено',
  measured: 'по материалам',
  week: 'Неделя',
  value: 'Значение',
  weeks: 'Факт по неделям',
  noActuals: 'Фактических значений пока нет.',
  chartTitle: '{kpi}: факт в сравнении с целью',
  chartDesc: 'Исходное значение {baseline}, цель {target} к {date}. Недельных значений: {count}, последнее — {latest}. Состояние: {status}.',
  chartDescEmpty: 'Исходное значение {baseline}, цель {target} к {date}. Фактических значений пока нет.',
  legendBaseline: 'исходное значение',
  legendTarget: 'линия к цели',
  legendActual: 'факт',
  today: 'сегодня',
  enterTitle: 'Внести факт за неделю',
  enterHint: 'ISO-неделя (например, 2026-W11) и значение каждого KPI на её конец; KPI с пустым полем сохраняет прежнее значение. Внесённое здесь значение заменяет подсчитанное по материалам за ту же неделю.',
  save: 'Сохранить значения',
  saved: plural({ one: 'Сохранено {count} значение.', few: 'Сохранено {count} значения.', many: 'Сохранено {count} значений.', other: 'Сохранено {count} значения.' }),
  importTitle: 'Загрузить факт из CSV',
  importHint: 'Одна строка на значение: неделя, показатель, соцсеть, значение — через запятую или точку с запятой, как сохраняет таблица (строка заголовков пропускается). Соцсеть указывается названием или остаётся пустой для показателя по всем соцсетям. Если хотя бы одна строка неверна, ничего не загружается.',
  csv: 'Строки CSV',
  import: 'Загрузить',
  imported: plural({ one: 'Загружено {count} значение.', few: 'Загружено {count} значения.', many: 'Загружено {count} значений.', other: 'Загружено {count} значения.' }),
  csvReport: 'Ничего не загружено. Исправьте эти строки и загрузите снова:',
  csvLine: 'Строка {line}: {message}',
  readOnly: 'Фактические значения вносят консультант и владелец.',
  fillTitle: 'Документы по итогам месяца',
  fillHint: 'Создаёт черновую версию по KPI, контент-плану и обучению; отредактируйте её, прежде чем отправлять на утверждение. Версия на утверждении или утверждённая никогда не перезаписывается.',
  fillQuarterly: 'Заполнить квартальный план по итогам «Запуска»',
  fillEvaluation: 'Заполнить итоговую оценку по результатам',
  filled: 'Черновик составлен по итогам месяца: проверьте и отредактируйте его, прежде чем отправлять на утверждение.',
  gateMissing: plural({ one: 'У KPI «{kpi}» нет факта за неделю {weeks}', few: 'У KPI «{kpi}» нет факта за недели {weeks}', many: 'У KPI «{kpi}» нет факта за недели {weeks}', other: 'У KPI «{kpi}» нет факта за недели {weeks}' }),
  proposedRule: 'Цели на следующий квартал продолжают тренд недельных значений (прямую через них) до последнего дня квартала и не бывают скромнее текущей цели.',
};

export const kpiEventsRu: Widen<typeof kpiEventsEn> = {
  kpi_actuals: 'внёс(ла) фактические значения KPI',
  kpi_fillDocument: 'заполнил(а) документ по итогам «Запуска»',
};

/** The KPI services' messages in Russian; numbers and quoted names are matched by shape ({0}). */
export const kpiServiceMessagesRu: Record<string, string> = {
  'choose a week': 'Выберите неделю',
  'the week has not begun yet': 'Эта неделя ещё не началась',
  'choose a KPI of this engagement': 'Выберите KPI этого проекта',
  'must be a number such as {0} or {1}': 'Укажите число, например 1250 или 12,5',
  'the value must be a number such as {0} or {1}': 'Значение должно быть числом, например 1250 или 12,5',
  'the number is too large': 'Слишком большое число',
  'enter the figure of at least one KPI': 'Укажите значение хотя бы одного KPI',
  'paste at least one line: week, indicator, network, value': 'Вставьте хотя бы одну строку: неделя, показатель, соцсеть, значение',
  'paste at most {0} lines at once': 'За один раз можно загрузить не больше {0} строк',
  'a line has four cells: week, indicator, network, value': 'В строке должно быть четыре ячейки: неделя, показатель, соцсеть, значение',
  'no KPI of this engagement has this indicator and network': 'В этом проекте нет KPI с таким показателем и соцсетью',
  'this indicator already has a line for this week above': 'Для этого показателя строка за эту неделю уже есть выше',
  'The actuals cannot be entered': 'Фактические значения нельзя внести',
  'The actuals cannot be imported': 'Фактические значения нельзя загрузить',
  'The document cannot be filled': 'Документ нельзя заполнить',
  'version {0} is sent for approval: filling it would change what the owner reviews': 'Версия {0} отправлена на утверждение: заполнение изменило бы то, что рассматривает владелец',
  'version {0} is approved: edit it to start a new version, then fill that one': 'Версия {0} утверждена: начните новую версию, отредактировав документ, и заполните уже её',
  "this engagement's methodology does not say which document the KPIs fill": 'В методике этого проекта не указано, какой документ заполняется по KPI',
};
