/** A mail as aws-ses-v2-local keeps it (GET /store). */
export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers: { name: string; value: string }[];
  attachments: { filename?: string; fileName?: string; contentType?: string; content?: string }[];
  /** Kept by the local SES front for bulk sends (local/ses-server.ts). */
  tags?: { name: string; value: string }[];
  configurationSetName?: string;
}

/** Every mail the local SES has accepted, oldest first. */
export const sentMails = async (sesUrl: string): Promise<StoredMail[]> => {
  const response = await fetch(new URL("/store", sesUrl));
  const store = (await response.json()) as { emails: StoredMail[] };
  return store.emails;
};

export const mailsTo = async (sesUrl: string, address: string): Promise<StoredMail[]> =>
  (await sentMails(sesUrl)).filter((mail) => mail.destination.to.includes(address));

/** The first link in a mail's HTML whose URL starts with `prefix`. */
export const linkIn = (mail: StoredMail, prefix: string): string => {
  const match = new RegExp(`href="(${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^"]*)"`).exec(
    mail.body.html ?? "",
  );
  if (!match?.[1]) throw new Error(`No link starting with ${prefix} in "${mail.subject}"`);
  return match[1].replaceAll("&amp;", "&");
};

export const header = (mail: StoredMail, name: string): string | undefined =>
  mail.headers.find((item) => item.name.toLowerCase() === name.toLowerCase())?.value;

/** Entries SES accepted but could not render, so never delivered (local/ses-server.ts). */
export const renderingFailures = async (sesUrl: string): Promise<{ to: string[]; error: string }[]> => {
  const response = await fetch(new URL("/rendering-failures", sesUrl));
  return ((await response.json()) as { failures: { to: string[]; error: string }[] }).failures;
};

/** Empties the local SES store (it lives in this test process, so no other test file shares it). */
export const clearSentMails = async (sesUrl: string): Promise<void> => {
  const response = await fetch(new URL("/clear-store", sesUrl), { method: "POST" });
  if (!response.ok) throw new Error(`clear-store answered ${response.status}`);
};

/** How many of the sent mails matching `filter` went to each address. */
export const mailCountsByRecipient = async (
  sesUrl: string,
  filter: (mail: StoredMail) => boolean = () => true,
): Promise<Record<string, number>> => {
  const counts: Record<string, number> = {};
  for (const mail of (await sentMails(sesUrl)).filter(filter)) {
    for (const address of mail.destination.to) counts[address] = (counts[address] ?? 0) + 1;
  }
  return counts;
};
