// English texts of comments (src/comments, views/partials/comments-*.ejs, views/comments), kept apart so the main catalog stays small.
export const commentsEn = {
  title: 'Discussion',
  none: 'No comments yet.',
  newTitle: 'Add a comment',
  field: 'About',
  wholeDocument: 'the whole version',
  body: 'Comment',
  hint: 'Markdown: **bold**, *italics*, lists, [links](https://example.com); up to {count} characters. You can edit a comment for 10 minutes after sending it.',
  mentionHint: 'Mention a participant with @ and the part of their e-mail address before the @; they are told in their notifications: {handles}.',
  send: 'Send the comment',
  reply: 'Reply',
  replyLabel: 'Your reply to {name}',
  sendReply: 'Send the reply',
  added: 'The comment is added.',
  saved: 'The comment is saved.',
  edited: 'edited',
  edit: 'Edit',
  editTitle: 'Edit the comment',
  editUntil: 'editable until {time}',
  editClosed: 'This comment can no longer be edited: a comment may be edited by its author for 10 minutes after it is written.',
  save: 'Save the comment',
  back: 'Back to the discussion',
  aboutField: 'about: {field}',
  makeTask: 'Make a task of this comment',
  taskTitle: 'Make a task of a comment',
  taskPrefilled: 'Filled in from the comment: the title from its first line, the assignee from the first participant it mentions, the deadline from a date it names (otherwise a week from today). The task links back to this comment.',
  taskName: 'Task',
  makeTaskButton: 'Make the task',
  taskMade: 'The task is made and assigned.',
  taskAlready: 'A task was already made of this comment: open it.',
  taskNotAllowed: 'Only the consultant or the owner can make a task of a comment, while the engagement is a draft or in a stage.',
  taskLabel: 'Task',
  taskFacts: '{assignee}, due {deadline}',
  madeFrom: 'This task was made of a comment: open the discussion',
};

export const commentsEventsEn = {
  comment_add: 'commented',
  comment_edit: 'edited a comment',
  comment_task: 'made a task of a comment',
};

export const commentsNotificationKindsEn = {
  mention: 'You were mentioned: {title}',
};

