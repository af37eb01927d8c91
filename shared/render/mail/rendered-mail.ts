/** A mail ready for the mailer: every value already escaped or reduced to what its place allows. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  headers: MailHeader[];
  attachments: MailAttachment[];
}

export interface MailHeader {
  name: string;
  value: string;
}

export interface MailAttachment {
  fileName: string;
  contentType: string;
  content: string;
}

/** Who sends the mail, for the footer every mail carries (CAN-SPAM and good manners want a postal address). */
export interface MailSender {
  organisation: string;
  postalAddress: string;
}
