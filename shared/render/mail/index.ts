/** Mail rendering: pure functions from an event or a subscription step to a mail ready for the mailer. */

export {
  CALENDAR_CONTENT_TYPE,
  calendarUid,
  type EventCalendarOptions,
  renderEventCalendar,
} from "../calendar/calendar";
export {
  type AnnouncementLinks,
  type AnnouncementMailInput,
  oneClickUnsubscribeHeaders,
  renderAnnouncementMail,
} from "./announcement-mail";
export { type ConfirmationMailInput, renderConfirmationMail } from "./confirmation-mail";
export type { MailAttachment, MailHeader, MailSender, RenderedMail } from "./rendered-mail";
