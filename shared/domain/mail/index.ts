/** Mail rendering: pure functions from an event or a subscription step to a mail ready for the mailer. */
export {
  type AnnouncementLinks,
  type AnnouncementMailInput,
  oneClickUnsubscribeHeaders,
  renderAnnouncementMail,
} from "./announcement-mail";
export {
  CALENDAR_CONTENT_TYPE,
  calendarUid,
  type EventCalendarOptions,
  renderEventCalendar,
} from "./calendar";
export { type ConfirmationMailInput, renderConfirmationMail } from "./confirmation-mail";
export type { MailAttachment, MailHeader, MailSender, RenderedMail } from "./rendered-mail";
