import { describe, expect, it } from "vitest";
import { renderConfirmationMail } from "../../shared/render/mail";
import { renderAlreadySubscribedMail } from "../../shared/render/mail/confirmation-mail";

const CONFIRM_URL = "https://events.example.org/api/subscriptions/confirm?token=confirm.signature";
const MANAGE_URL = "https://events.example.org/api/subscriptions/manage?token=manage.signature";
const SENDER = { organisation: "EU4Digital", postalAddress: "Rue de la Loi 170, 1000 Brussels, Belgium" };

const mailFor = (language: string, changes: Partial<Parameters<typeof renderConfirmationMail>[0]> = {}) =>
  renderConfirmationMail({
    language,
    confirmUrl: CONFIRM_URL,
    manageUrl: MANAGE_URL,
    expiresAt: "2020-12-16T09:00:00.000Z",
    sender: SENDER,
    ...changes,
  });

describe("renderConfirmationMail", () => {
  it("asks an English reader to confirm, says until when the link works and that ignoring it does nothing", () => {
    const mail = mailFor("en");
    expect(mail.subject).toBe("EU4Digital: confirm your subscription");
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain(CONFIRM_URL);
      expect(part).toContain("16 December 2020");
      expect(part).toContain("09:00 UTC");
      expect(part).toContain("nothing happens, the request expires");
      expect(part).toContain("EU4Digital, Rue de la Loi 170, 1000 Brussels, Belgium");
    }
    expect(mail.html).toContain(`href="${CONFIRM_URL}"`);
  });

  it("carries the manage link, like every mail", () => {
    const mail = mailFor("en");
    expect(mail.html).toContain(`href="${MANAGE_URL}"`);
    expect(mail.text).toContain(MANAGE_URL);
  });

  it("writes the whole mail in Georgian or Russian for those readers", () => {
    const georgian = mailFor("ka");
    expect(georgian.subject).toBe("EU4Digital: დაადასტურეთ გამოწერა");
    expect(georgian.html).toContain('<html lang="ka" dir="ltr">');
    expect(georgian.text).toContain("გამოწერის დადასტურება");
    expect(georgian.text).toContain("16 დეკემბერი, 2020");
    const russian = mailFor("ru");
    expect(russian.subject).toBe("EU4Digital: подтвердите подписку");
    expect(russian.text).toContain("Ссылка действует до 16 декабря 2020");
    expect(russian.text).toContain("ничего не произойдёт");
  });

  it("carries no List-Unsubscribe header and no attachment: there is no subscription yet", () => {
    const mail = mailFor("en");
    expect(mail.headers).toEqual([]);
    expect(mail.attachments).toEqual([]);
  });

  it("escapes the organisation in the HTML and keeps line breaks out of the subject", () => {
    const mail = mailFor("en", {
      sender: {
        organisation: `<b>Org</b> & "Co"\r\nBcc: victim@example.org`,
        postalAddress: "<i>Street</i>",
      },
    });
    expect(mail.subject).toBe(`<b>Org</b> & "Co" Bcc: victim@example.org: confirm your subscription`);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain("<b>");
    expect(mail.html).not.toContain("<i>");
    expect(mail.html).toContain("&lt;b&gt;Org&lt;/b&gt; &amp; &quot;Co&quot;");
  });

  it("uses English for a language without a dictionary", () => {
    const mail = mailFor("de");
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    expect(mail.subject).toBe("EU4Digital: confirm your subscription");
  });

  it("refuses a confirmation link that is not an http(s) URL and an expiry that is not a date", () => {
    expect(() => mailFor("en", { confirmUrl: "javascript:alert(1)" })).toThrow(/confirmUrl/);
    expect(() => mailFor("en", { expiresAt: "soon" })).toThrow(/expiresAt/);
  });
});

describe("renderAlreadySubscribedMail", () => {
  const UNSUBSCRIBE_URL = "https://events.example.org/api/subscriptions/unsubscribe?token=leave.signature";
  const notice = (language: string) =>
    renderAlreadySubscribedMail({
      language,
      manageUrl: MANAGE_URL,
      unsubscribeUrl: UNSUBSCRIBE_URL,
      sender: SENDER,
    });

  it("tells a subscribed reader that nothing changed and where to change language or series", () => {
    const mail = notice("en");
    expect(mail.subject).toBe("EU4Digital: you are already subscribed");
    for (const part of [mail.html, mail.text]) {
      expect(part).toContain("nothing changed");
      expect(part).toContain(MANAGE_URL);
      expect(part).toContain(UNSUBSCRIBE_URL);
      expect(part).not.toContain(CONFIRM_URL);
    }
  });

  it("speaks the subscriber's language", () => {
    expect(notice("uk").subject).toBe("EU4Digital: ви вже підписані");
    expect(notice("ka").html).toContain('<html lang="ka" dir="ltr">');
  });
});
