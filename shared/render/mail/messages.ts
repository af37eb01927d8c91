/**
 * Interface strings of the mails and of the subscription pages, in every interface language.
 * The English entry fixes the keys; the compiler makes every other language supply exactly those.
 * Feed labels (date, place, speakers…) come from ../i18n and are merged in by `mailMessagesFor`.
 * `{name}` marks a value filled in by `fill`; the result is escaped by whoever writes it out.
 */
import type { LanguageCode } from "../../domain/event";
import {
  defineMessages,
  INTERFACE_LANGUAGES,
  type InterfaceLanguage,
  isInterfaceLanguage,
  type Messages,
  messagesFor,
} from "../i18n";

const MAIL_MESSAGES = defineMessages({
  en: {
    newEvent: "New event",
    // A notice's subject and kicker say what changed (follow-up-headlines.ts).
    noticeDate: "New date",
    noticeTime: "New time",
    noticeDateTime: "New date and time",
    noticeVenue: "New venue",
    noticeOnlineLink: "New online link",
    noticeNowOnline: "Now online",
    noticeNowInPerson: "Now in person",
    noticeTimeAndPlace: "New time and place",
    changedSubject: "Changed",
    whatChanged: "What changed",
    changeTime: "Time",
    onlineLink: "Online link",
    cancelledEvent: "Event cancelled",
    cancelledText:
      "This event has been cancelled and will not take place. The attached calendar file marks it as cancelled.",
    // A reminder's subject and kicker say when it starts: {time} with its zone, {date} the day.
    reminderToday: "Today",
    reminderTodayAt: "Today at {time}",
    reminderTomorrow: "Tomorrow",
    reminderTomorrowAt: "Tomorrow at {time}",
    reminderOn: "On {date}",
    reminderOnAt: "On {date} at {time}",
    pageManageReminders: "Remind me before each event I was told about",
    addToCalendar: "Add to calendar",
    calendarAttached: "The event is also attached to this email as a calendar file (event.ics).",
    updateCalendar: "Update your calendar",
    calendarUpdateAttached:
      "The updated event is attached to this email as a calendar file (event.ics): open it to update the entry in your calendar.",
    eventPage: "Event page",
    manage: "Change language or series",
    unsubscribe: "Unsubscribe",
    whyYouGetThis:
      "You receive this email because you subscribed to event announcements from {organisation}.",
    confirmSubject: "{organisation}: confirm your subscription",
    confirmHeading: "Confirm your subscription",
    confirmIntro:
      "Someone, probably you, asked to receive announcements of new events from {organisation} at this email address.",
    confirmButton: "Confirm subscription",
    copyLink: "If the button does not work, copy this address into your browser:",
    confirmExpires: "The link works until {date}.",
    confirmIgnore:
      "If you did not ask for this, ignore this email: nothing happens, the request expires and you will not receive any announcements.",
    alreadySubject: "{organisation}: you are already subscribed",
    alreadyHeading: "You are already subscribed",
    alreadyText:
      "Someone, probably you, asked to subscribe this address to event announcements from {organisation}. It is subscribed already, so nothing changed. To change the language or the series you receive, use the link below.",
    pageConfirmText:
      "Press the button to confirm that you want to receive announcements of new events at this address.",
    pageConfirmedTitle: "Subscription confirmed",
    pageConfirmedText:
      "Thank you. You will receive an email whenever a new event is announced. Every email has links to change your preferences or to unsubscribe.",
    pageUnsubscribeTitle: "Unsubscribe from event announcements",
    pageUnsubscribeText: "Press the button to stop receiving event announcements at this address.",
    pageUnsubscribedTitle: "You are unsubscribed",
    pageUnsubscribedText:
      "You will not receive any more event announcements at this address. You can subscribe again at any time.",
    pageManageTitle: "Your subscription",
    pageManageLanguage: "Language of the emails",
    pageManageSeries: "Event series",
    pageManageSeriesHint:
      "Tick the series you want to hear about. Leave all unticked to receive every event.",
    pageManageSave: "Save",
    pageManageSavedTitle: "Preferences saved",
    pageManageSavedText: "Your changes apply from the next announcement.",
    pageInvalidTitle: "This link does not work",
    pageInvalidExpired:
      "The link has expired. To receive announcements, subscribe again: you will get a new confirmation email.",
    pageInvalidLeft:
      "This address has unsubscribed, so the links in its earlier emails no longer work. To receive announcements again, subscribe again: you will get a new confirmation email.",
    pageInvalidBroken:
      "The link is incomplete or has been changed. Open it again from the email and make sure the whole link is used.",
  },
  ka: {
    newEvent: "ახალი ღონისძიება",
    noticeDate: "ახალი თარიღი",
    noticeTime: "ახალი დრო",
    noticeDateTime: "ახალი თარიღი და დრო",
    noticeVenue: "ახალი ადგილი",
    noticeOnlineLink: "ახალი ონლაინ ბმული",
    noticeNowOnline: "ახლა ონლაინ ფორმატში",
    noticeNowInPerson: "ახლა პირისპირ ფორმატში",
    noticeTimeAndPlace: "ახალი დრო და ადგილი",
    changedSubject: "შეცვლილია",
    whatChanged: "რა შეიცვალა",
    changeTime: "დრო",
    onlineLink: "ონლაინ ბმული",
    cancelledEvent: "ღონისძიება გაუქმდა",
    cancelledText:
      "ეს ღონისძიება გაუქმდა და არ გაიმართება. თანდართული კალენდრის ფაილი მას გაუქმებულად მონიშნავს.",
    reminderToday: "დღეს",
    reminderTodayAt: "დღეს, {time}",
    reminderTomorrow: "ხვალ",
    reminderTomorrowAt: "ხვალ, {time}",
    reminderOn: "{date}",
    reminderOnAt: "{date}, {time}",
    pageManageReminders: "შემახსენე ყოველი ღონისძიების წინ, რომლის შესახებაც მაცნობეს",
    addToCalendar: "კალენდარში დამატება",
    calendarAttached: "ღონისძიება ამ წერილს ასევე ერთვის კალენდრის ფაილად (event.ics).",
    updateCalendar: "კალენდრის განახლება",
    calendarUpdateAttached:
      "განახლებული ღონისძიება ამ წერილს ერთვის კალენდრის ფაილად (event.ics): გახსენით, რომ კალენდარში ჩანაწერი განაახლოთ.",
    eventPage: "ღონისძიების გვერდი",
    manage: "ენის ან სერიების შეცვლა",
    unsubscribe: "გამოწერის გაუქმება",
    whyYouGetThis:
      "ამ წერილს იღებთ, რადგან გამოწერილი გაქვთ {organisation}-ის ღონისძიებების შესახებ შეტყობინებები.",
    confirmSubject: "{organisation}: დაადასტურეთ გამოწერა",
    confirmHeading: "დაადასტურეთ გამოწერა",
    confirmIntro:
      "ვიღაცამ, სავარაუდოდ თქვენ, მოითხოვა ამ ელფოსტის მისამართზე {organisation}-ის ახალი ღონისძიებების შესახებ შეტყობინებების მიღება.",
    confirmButton: "გამოწერის დადასტურება",
    copyLink: "თუ ღილაკი არ მუშაობს, დააკოპირეთ ეს მისამართი ბრაუზერში:",
    confirmExpires: "ბმულის მოქმედების ვადა: {date}.",
    confirmIgnore:
      "თუ ეს თქვენ არ მოგითხოვიათ, უბრალოდ უგულებელყავით ეს წერილი: არაფერი მოხდება, მოთხოვნას ვადა გაუვა და შეტყობინებებს არ მიიღებთ.",
    alreadySubject: "{organisation}: თქვენ უკვე გამოწერილი გაქვთ",
    alreadyHeading: "თქვენ უკვე გამოწერილი გაქვთ",
    alreadyText:
      "ვიღაცამ, სავარაუდოდ თქვენ, მოითხოვა ამ მისამართის გამოწერა {organisation}-ის ღონისძიებების შეტყობინებებზე. მისამართი უკვე გამოწერილია, ამიტომ არაფერი შეცვლილა. ენის ან სერიების შესაცვლელად გამოიყენეთ ქვემოთ მოცემული ბმული.",
    pageConfirmText:
      "დააჭირეთ ღილაკს, რათა დაადასტუროთ, რომ გსურთ ამ მისამართზე ახალი ღონისძიებების შესახებ შეტყობინებების მიღება.",
    pageConfirmedTitle: "გამოწერა დადასტურებულია",
    pageConfirmedText:
      "გმადლობთ. ყოველი ახალი ღონისძიების გამოცხადებისას მიიღებთ წერილს. ყოველ წერილში არის ბმულები პარამეტრების შესაცვლელად ან გამოწერის გასაუქმებლად.",
    pageUnsubscribeTitle: "ღონისძიებების შესახებ შეტყობინებების გამოწერის გაუქმება",
    pageUnsubscribeText:
      "დააჭირეთ ღილაკს, რათა ამ მისამართზე აღარ მიიღოთ შეტყობინებები ღონისძიებების შესახებ.",
    pageUnsubscribedTitle: "გამოწერა გაუქმებულია",
    pageUnsubscribedText:
      "ამ მისამართზე ღონისძიებების შესახებ შეტყობინებებს აღარ მიიღებთ. ხელახლა გამოწერა ნებისმიერ დროს შეგიძლიათ.",
    pageManageTitle: "თქვენი გამოწერა",
    pageManageLanguage: "წერილების ენა",
    pageManageSeries: "ღონისძიებების სერიები",
    pageManageSeriesHint:
      "მონიშნეთ სერიები, რომლებიც გაინტერესებთ. თუ არცერთს არ მონიშნავთ, მიიღებთ შეტყობინებას ყველა ღონისძიების შესახებ.",
    pageManageSave: "შენახვა",
    pageManageSavedTitle: "პარამეტრები შენახულია",
    pageManageSavedText: "ცვლილებები ძალაში შევა შემდეგი შეტყობინებიდან.",
    pageInvalidTitle: "ეს ბმული არ მუშაობს",
    pageInvalidExpired:
      "ბმულს ვადა გაუვიდა. შეტყობინებების მისაღებად ხელახლა გამოიწერეთ: მიიღებთ დადასტურების ახალ წერილს.",
    pageInvalidLeft:
      "ეს მისამართი გამოწერიდან გავიდა, ამიტომ მის ადრინდელ წერილებში არსებული ბმულები აღარ მუშაობს. შეტყობინებების კვლავ მისაღებად ხელახლა გამოიწერეთ: მიიღებთ დადასტურების ახალ წერილს.",
    pageInvalidBroken:
      "ბმული არასრულია ან შეცვლილია. გახსენით იგი ხელახლა წერილიდან და დარწმუნდით, რომ ბმული მთლიანად გამოიყენება.",
  },
  hy: {
    newEvent: "Նոր միջոցառում",
    noticeDate: "Նոր ամսաթիվ",
    noticeTime: "Նոր ժամ",
    noticeDateTime: "Նոր ամսաթիվ և ժամ",
    noticeVenue: "Նոր վայր",
    noticeOnlineLink: "Նոր առցանց հղում",
    noticeNowOnline: "Այժմ՝ առցանց ձևաչափով",
    noticeNowInPerson: "Այժմ՝ առկա ձևաչափով",
    noticeTimeAndPlace: "Նոր ժամ և վայր",
    changedSubject: "Փոփոխված",
    whatChanged: "Ինչ է փոխվել",
    changeTime: "Ժամ",
    onlineLink: "Առցանց հղում",
    cancelledEvent: "Միջոցառումը չեղարկվել է",
    cancelledText:
      "Այս միջոցառումը չեղարկվել է և տեղի չի ունենա։ Կցված օրացույցի ֆայլը այն նշում է որպես չեղարկված։",
    reminderToday: "Այսօր",
    reminderTodayAt: "Այսօր, ժամը {time}",
    reminderTomorrow: "Վաղը",
    reminderTomorrowAt: "Վաղը, ժամը {time}",
    reminderOn: "{date}",
    reminderOnAt: "{date}, ժամը {time}",
    pageManageReminders: "Հիշեցնել ինձ յուրաքանչյուր միջոցառումից առաջ, որի մասին ինձ տեղեկացրել են",
    addToCalendar: "Ավելացնել օրացույցում",
    calendarAttached: "Միջոցառումը կցված է նաև այս նամակին՝ որպես օրացույցի ֆայլ (event.ics)։",
    updateCalendar: "Թարմացնել օրացույցը",
    calendarUpdateAttached:
      "Թարմացված միջոցառումը կցված է այս նամակին՝ որպես օրացույցի ֆայլ (event.ics)։ Բացեք այն՝ ձեր օրացույցի գրառումը թարմացնելու համար։",
    eventPage: "Միջոցառման էջը",
    manage: "Փոխել լեզուն կամ շարքերը",
    unsubscribe: "Չեղարկել բաժանորդագրությունը",
    whyYouGetThis:
      "Դուք ստանում եք այս նամակը, քանի որ բաժանորդագրվել եք {organisation}-ի միջոցառումների հայտարարություններին։",
    confirmSubject: "{organisation} — հաստատեք բաժանորդագրությունը",
    confirmHeading: "Հաստատեք բաժանորդագրությունը",
    confirmIntro:
      "Ինչ-որ մեկը, հավանաբար դուք, խնդրել է այս էլ. փոստի հասցեին ստանալ {organisation}-ի նոր միջոցառումների հայտարարությունները։",
    confirmButton: "Հաստատել բաժանորդագրությունը",
    copyLink: "Եթե կոճակը չի աշխատում, պատճենեք այս հասցեն և բացեք այն դիտարկիչում.",
    confirmExpires: "Հղումը գործում է մինչև {date}։",
    confirmIgnore:
      "Եթե դուք դա չեք խնդրել, պարզապես անտեսեք այս նամակը. ոչինչ չի պատահի, հայտի ժամկետը կլրանա, և դուք հայտարարություններ չեք ստանա։",
    alreadySubject: "{organisation} — դուք արդեն բաժանորդագրված եք",
    alreadyHeading: "Դուք արդեն բաժանորդագրված եք",
    alreadyText:
      "Ինչ-որ մեկը, հավանաբար դուք, խնդրել է այս հասցեն բաժանորդագրել {organisation}-ի միջոցառումների հայտարարություններին։ Հասցեն արդեն բաժանորդագրված է, ուստի ոչինչ չի փոխվել։ Լեզուն կամ շարքերը փոխելու համար օգտվեք ստորև բերված հղումից։",
    pageConfirmText:
      "Սեղմեք կոճակը՝ հաստատելու, որ ցանկանում եք այս հասցեին ստանալ նոր միջոցառումների հայտարարություններ։",
    pageConfirmedTitle: "Բաժանորդագրությունը հաստատված է",
    pageConfirmedText:
      "Շնորհակալություն։ Յուրաքանչյուր նոր միջոցառման մասին կստանաք նամակ։ Յուրաքանչյուր նամակում կան հղումներ՝ կարգավորումները փոխելու կամ բաժանորդագրությունը չեղարկելու համար։",
    pageUnsubscribeTitle: "Միջոցառումների հայտարարությունների բաժանորդագրության չեղարկում",
    pageUnsubscribeText:
      "Սեղմեք կոճակը, որպեսզի այլևս չստանաք միջոցառումների հայտարարություններ այս հասցեին։",
    pageUnsubscribedTitle: "Բաժանորդագրությունը չեղարկված է",
    pageUnsubscribedText:
      "Այս հասցեին այլևս միջոցառումների հայտարարություններ չեք ստանա։ Կարող եք կրկին բաժանորդագրվել ցանկացած ժամանակ։",
    pageManageTitle: "Ձեր բաժանորդագրությունը",
    pageManageLanguage: "Նամակների լեզուն",
    pageManageSeries: "Միջոցառումների շարքեր",
    pageManageSeriesHint:
      "Նշեք ձեզ հետաքրքրող շարքերը։ Եթե ոչինչ չնշեք, կստանաք բոլոր միջոցառումների հայտարարությունները։",
    pageManageSave: "Պահպանել",
    pageManageSavedTitle: "Կարգավորումները պահպանված են",
    pageManageSavedText: "Փոփոխությունները կգործեն հաջորդ հայտարարությունից։",
    pageInvalidTitle: "Այս հղումը չի աշխատում",
    pageInvalidExpired:
      "Հղման ժամկետը լրացել է։ Հայտարարություններ ստանալու համար կրկին բաժանորդագրվեք. կստանաք հաստատման նոր նամակ։",
    pageInvalidLeft:
      "Այս հասցեն դուրս է եկել բաժանորդագրությունից, ուստի նախորդ նամակների հղումներն այլևս չեն աշխատում։ Հայտարարություններ կրկին ստանալու համար կրկին բաժանորդագրվեք. կստանաք հաստատման նոր նամակ։",
    pageInvalidBroken:
      "Հղումը թերի է կամ փոփոխված։ Կրկին բացեք այն նամակից և համոզվեք, որ օգտագործվում է ամբողջական հղումը։",
  },
  az: {
    newEvent: "Yeni tədbir",
    noticeDate: "Yeni tarix",
    noticeTime: "Yeni vaxt",
    noticeDateTime: "Yeni tarix və vaxt",
    noticeVenue: "Yeni məkan",
    noticeOnlineLink: "Yeni onlayn keçid",
    noticeNowOnline: "İndi onlayn formatda",
    noticeNowInPerson: "İndi əyani formatda",
    noticeTimeAndPlace: "Yeni vaxt və məkan",
    changedSubject: "Dəyişdi",
    whatChanged: "Nə dəyişdi",
    changeTime: "Vaxt",
    onlineLink: "Onlayn keçid",
    cancelledEvent: "Tədbir ləğv edildi",
    cancelledText:
      "Bu tədbir ləğv edilib və keçirilməyəcək. Əlavə olunmuş təqvim faylı onu ləğv edilmiş kimi qeyd edir.",
    reminderToday: "Bu gün",
    reminderTodayAt: "Bu gün, saat {time}",
    reminderTomorrow: "Sabah",
    reminderTomorrowAt: "Sabah, saat {time}",
    reminderOn: "{date}",
    reminderOnAt: "{date}, saat {time}",
    pageManageReminders: "Mənə bildirilən hər tədbirdən əvvəl xatırlat",
    addToCalendar: "Təqvimə əlavə et",
    calendarAttached: "Tədbir bu məktuba təqvim faylı (event.ics) kimi də əlavə olunub.",
    updateCalendar: "Təqvimi yenilə",
    calendarUpdateAttached:
      "Yenilənmiş tədbir bu məktuba təqvim faylı (event.ics) kimi əlavə olunub: təqviminizdəki qeydi yeniləmək üçün onu açın.",
    eventPage: "Tədbirin səhifəsi",
    manage: "Dili və ya silsilələri dəyiş",
    unsubscribe: "Abunəlikdən çıx",
    whyYouGetThis: "Bu məktubu {organisation} tədbirləri haqqında elanlara abunə olduğunuz üçün alırsınız.",
    confirmSubject: "{organisation}: abunəliyi təsdiqləyin",
    confirmHeading: "Abunəliyi təsdiqləyin",
    confirmIntro:
      "Kimsə, ehtimal ki, siz, bu e-poçt ünvanına {organisation} tərəfindən yeni tədbirlər haqqında elanların göndərilməsini istəyib.",
    confirmButton: "Abunəliyi təsdiqlə",
    copyLink: "Düymə işləmirsə, bu ünvanı kopyalayıb brauzerdə açın:",
    confirmExpires: "Keçidin etibarlılıq müddəti: {date}.",
    confirmIgnore:
      "Əgər bunu siz istəməmisinizsə, bu məktuba məhəl qoymayın: heç nə baş verməyəcək, sorğunun müddəti bitəcək və elanlar göndərilməyəcək.",
    alreadySubject: "{organisation}: siz artıq abunəsiniz",
    alreadyHeading: "Siz artıq abunəsiniz",
    alreadyText:
      "Kimsə, yəqin ki, siz, bu ünvanın {organisation} tədbir elanlarına abunə olmasını istədi. Ünvan artıq abunədir, ona görə heç nə dəyişmədi. Dili və ya seriyaları dəyişmək üçün aşağıdakı keçiddən istifadə edin.",
    pageConfirmText:
      "Bu ünvana yeni tədbirlər haqqında elanlar almaq istədiyinizi təsdiqləmək üçün düyməni basın.",
    pageConfirmedTitle: "Abunəlik təsdiqləndi",
    pageConfirmedText:
      "Təşəkkür edirik. Hər yeni tədbir elan olunduqda məktub alacaqsınız. Hər məktubda parametrləri dəyişmək və ya abunəlikdən çıxmaq üçün keçidlər var.",
    pageUnsubscribeTitle: "Tədbir elanlarına abunəliyin ləğvi",
    pageUnsubscribeText: "Bu ünvana artıq tədbir elanları almamaq üçün düyməni basın.",
    pageUnsubscribedTitle: "Abunəlikdən çıxdınız",
    pageUnsubscribedText:
      "Bu ünvana artıq tədbir elanları göndərilməyəcək. İstənilən vaxt yenidən abunə ola bilərsiniz.",
    pageManageTitle: "Abunəliyiniz",
    pageManageLanguage: "Məktubların dili",
    pageManageSeries: "Tədbir silsilələri",
    pageManageSeriesHint:
      "Sizi maraqlandıran silsilələri seçin. Heç birini seçməsəniz, bütün tədbirlər haqqında elanlar alacaqsınız.",
    pageManageSave: "Yadda saxla",
    pageManageSavedTitle: "Parametrlər yadda saxlanıldı",
    pageManageSavedText: "Dəyişikliklər növbəti elandan etibarən qüvvəyə minir.",
    pageInvalidTitle: "Bu keçid işləmir",
    pageInvalidExpired:
      "Keçidin müddəti bitib. Elanları almaq üçün yenidən abunə olun: yeni təsdiq məktubu alacaqsınız.",
    pageInvalidLeft:
      "Bu ünvan abunəlikdən çıxıb, ona görə də əvvəlki məktublardakı keçidlər artıq işləmir. Elanları yenidən almaq üçün yenidən abunə olun: yeni təsdiq məktubu alacaqsınız.",
    pageInvalidBroken:
      "Keçid natamamdır və ya dəyişdirilib. Onu məktubdan yenidən açın və keçidin tam istifadə olunduğuna əmin olun.",
  },
  be: {
    newEvent: "Новае мерапрыемства",
    noticeDate: "Новая дата",
    noticeTime: "Новы час",
    noticeDateTime: "Новыя дата і час",
    noticeVenue: "Новае месца",
    noticeOnlineLink: "Новая спасылка онлайн",
    noticeNowOnline: "Цяпер анлайн",
    noticeNowInPerson: "Цяпер вочна",
    noticeTimeAndPlace: "Новыя час і месца",
    changedSubject: "Зменена",
    whatChanged: "Што змянілася",
    changeTime: "Час",
    onlineLink: "Спасылка онлайн",
    cancelledEvent: "Мерапрыемства адменена",
    cancelledText:
      "Гэта мерапрыемства адменена і не адбудзецца. Далучаны файл календара пазначае яго як адмененае.",
    reminderToday: "Сёння",
    reminderTodayAt: "Сёння а {time}",
    reminderTomorrow: "Заўтра",
    reminderTomorrowAt: "Заўтра а {time}",
    reminderOn: "{date}",
    reminderOnAt: "{date} а {time}",
    pageManageReminders: "Нагадваць мне перад кожным мерапрыемствам, пра якое мне паведамілі",
    addToCalendar: "Дадаць у каляндар",
    calendarAttached: "Мерапрыемства таксама далучана да ліста як файл календара (event.ics).",
    updateCalendar: "Абнавіць каляндар",
    calendarUpdateAttached:
      "Абноўленае мерапрыемства далучана да ліста як файл календара (event.ics): адкрыйце яго, каб абнавіць запіс у календары.",
    eventPage: "Старонка мерапрыемства",
    manage: "Змяніць мову або серыі",
    unsubscribe: "Адпісацца",
    whyYouGetThis: "Вы атрымалі гэты ліст, таму што падпісаліся на анонсы мерапрыемстваў ад {organisation}.",
    confirmSubject: "{organisation}: пацвердзіце падпіску",
    confirmHeading: "Пацвердзіце падпіску",
    confirmIntro:
      "Нехта, верагодна вы, папрасіў дасылаць анонсы новых мерапрыемстваў ад {organisation} на гэты адрас электроннай пошты.",
    confirmButton: "Пацвердзіць падпіску",
    copyLink: "Калі кнопка не працуе, скапіруйце гэты адрас у браўзер:",
    confirmExpires: "Спасылка дзейнічае да {date}.",
    confirmIgnore:
      "Калі вы гэтага не прасілі, проста праігнаруйце ліст: нічога не адбудзецца, тэрмін дзеяння запыту скончыцца, і анонсы не будуць прыходзіць.",
    alreadySubject: "{organisation}: вы ўжо падпісаны",
    alreadyHeading: "Вы ўжо падпісаны",
    alreadyText:
      "Хтосьці, верагодна вы, папрасіў падпісаць гэты адрас на анонсы мерапрыемстваў {organisation}. Адрас ужо падпісаны, таму нічога не змянілася. Каб змяніць мову або серыі, скарыстайцеся спасылкай ніжэй.",
    pageConfirmText:
      "Націсніце кнопку, каб пацвердзіць, што вы хочаце атрымліваць на гэты адрас анонсы новых мерапрыемстваў.",
    pageConfirmedTitle: "Падпіска пацверджана",
    pageConfirmedText:
      "Дзякуй. Вы будзеце атрымліваць ліст пра кожнае новае мерапрыемства. У кожным лісце ёсць спасылкі, каб змяніць налады або адпісацца.",
    pageUnsubscribeTitle: "Адпіска ад анонсаў мерапрыемстваў",
    pageUnsubscribeText: "Націсніце кнопку, каб больш не атрымліваць анонсы мерапрыемстваў на гэты адрас.",
    pageUnsubscribedTitle: "Вы адпісаліся",
    pageUnsubscribedText:
      "Анонсы мерапрыемстваў больш не будуць прыходзіць на гэты адрас. Падпісацца зноў можна ў любы час.",
    pageManageTitle: "Ваша падпіска",
    pageManageLanguage: "Мова лістоў",
    pageManageSeries: "Серыі мерапрыемстваў",
    pageManageSeriesHint:
      "Адзначце серыі, якія вас цікавяць. Калі нічога не адзначыць, вы будзеце атрымліваць анонсы ўсіх мерапрыемстваў.",
    pageManageSave: "Захаваць",
    pageManageSavedTitle: "Налады захаваны",
    pageManageSavedText: "Змены пачнуць дзейнічаць з наступнага анонса.",
    pageInvalidTitle: "Гэтая спасылка не працуе",
    pageInvalidExpired:
      "Тэрмін дзеяння спасылкі скончыўся. Каб атрымліваць анонсы, падпішыцеся зноў: вы атрымаеце новы ліст для пацвярджэння.",
    pageInvalidLeft:
      "Гэты адрас адпісаўся, таму спасылкі ў ранейшых лістах больш не працуюць. Каб зноў атрымліваць анонсы, падпішыцеся зноў: вы атрымаеце новы ліст для пацвярджэння.",
    pageInvalidBroken:
      "Спасылка няпоўная або змененая. Адкрыйце яе зноў з ліста і пераканайцеся, што выкарыстана ўся спасылка.",
  },
  ro: {
    newEvent: "Eveniment nou",
    noticeDate: "Dată nouă",
    noticeTime: "Oră nouă",
    noticeDateTime: "Dată și oră noi",
    noticeVenue: "Loc nou",
    noticeOnlineLink: "Link online nou",
    noticeNowOnline: "Acum online",
    noticeNowInPerson: "Acum cu prezență fizică",
    noticeTimeAndPlace: "Oră și loc noi",
    changedSubject: "Modificat",
    whatChanged: "Ce s-a schimbat",
    changeTime: "Ora",
    onlineLink: "Link online",
    cancelledEvent: "Eveniment anulat",
    cancelledText:
      "Acest eveniment a fost anulat și nu va avea loc. Fișierul de calendar atașat îl marchează ca anulat.",
    reminderToday: "Astăzi",
    reminderTodayAt: "Astăzi la ora {time}",
    reminderTomorrow: "Mâine",
    reminderTomorrowAt: "Mâine la ora {time}",
    reminderOn: "Pe {date}",
    reminderOnAt: "Pe {date}, la ora {time}",
    pageManageReminders: "Trimiteți-mi un memento înaintea fiecărui eveniment despre care am fost anunțat",
    addToCalendar: "Adăugați în calendar",
    calendarAttached: "Evenimentul este atașat și la acest e-mail, ca fișier de calendar (event.ics).",
    updateCalendar: "Actualizați calendarul",
    calendarUpdateAttached:
      "Evenimentul actualizat este atașat la acest e-mail, ca fișier de calendar (event.ics): deschideți-l pentru a actualiza intrarea din calendar.",
    eventPage: "Pagina evenimentului",
    manage: "Schimbați limba sau seriile",
    unsubscribe: "Dezabonare",
    whyYouGetThis:
      "Primiți acest e-mail pentru că v-ați abonat la anunțurile de evenimente de la {organisation}.",
    confirmSubject: "{organisation}: confirmați abonarea",
    confirmHeading: "Confirmați abonarea",
    confirmIntro:
      "Cineva, probabil dumneavoastră, a cerut să primească la această adresă de e-mail anunțuri despre evenimentele noi de la {organisation}.",
    confirmButton: "Confirmați abonarea",
    copyLink: "Dacă butonul nu funcționează, copiați această adresă în browser:",
    confirmExpires: "Linkul este valabil până la {date}.",
    confirmIgnore:
      "Dacă nu ați cerut acest lucru, ignorați acest e-mail: nu se întâmplă nimic, cererea expiră și nu veți primi anunțuri.",
    alreadySubject: "{organisation}: sunteți deja abonat",
    alreadyHeading: "Sunteți deja abonat",
    alreadyText:
      "Cineva, probabil dumneavoastră, a cerut abonarea acestei adrese la anunțurile de evenimente de la {organisation}. Adresa este deja abonată, așa că nu s-a schimbat nimic. Pentru a schimba limba sau seriile, folosiți linkul de mai jos.",
    pageConfirmText:
      "Apăsați butonul pentru a confirma că doriți să primiți la această adresă anunțuri despre evenimentele noi.",
    pageConfirmedTitle: "Abonare confirmată",
    pageConfirmedText:
      "Vă mulțumim. Veți primi un e-mail la fiecare eveniment nou anunțat. Fiecare e-mail conține linkuri pentru a vă schimba preferințele sau pentru a vă dezabona.",
    pageUnsubscribeTitle: "Dezabonare de la anunțurile de evenimente",
    pageUnsubscribeText: "Apăsați butonul pentru a nu mai primi anunțuri de evenimente la această adresă.",
    pageUnsubscribedTitle: "V-ați dezabonat",
    pageUnsubscribedText:
      "Nu veți mai primi anunțuri de evenimente la această adresă. Vă puteți abona din nou oricând.",
    pageManageTitle: "Abonamentul dumneavoastră",
    pageManageLanguage: "Limba e-mailurilor",
    pageManageSeries: "Serii de evenimente",
    pageManageSeriesHint:
      "Bifați seriile care vă interesează. Dacă nu bifați niciuna, veți primi anunțuri despre toate evenimentele.",
    pageManageSave: "Salvați",
    pageManageSavedTitle: "Preferințe salvate",
    pageManageSavedText: "Modificările se aplică începând cu următorul anunț.",
    pageInvalidTitle: "Acest link nu funcționează",
    pageInvalidExpired:
      "Linkul a expirat. Pentru a primi anunțuri, abonați-vă din nou: veți primi un nou e-mail de confirmare.",
    pageInvalidLeft:
      "Această adresă s-a dezabonat, așa că linkurile din e-mailurile anterioare nu mai funcționează. Pentru a primi din nou anunțuri, abonați-vă din nou: veți primi un nou e-mail de confirmare.",
    pageInvalidBroken:
      "Linkul este incomplet sau a fost modificat. Deschideți-l din nou din e-mail și asigurați-vă că folosiți linkul întreg.",
  },
  ru: {
    newEvent: "Новое мероприятие",
    noticeDate: "Новая дата",
    noticeTime: "Новое время",
    noticeDateTime: "Новые дата и время",
    noticeVenue: "Новое место",
    noticeOnlineLink: "Новая онлайн-ссылка",
    noticeNowOnline: "Теперь онлайн",
    noticeNowInPerson: "Теперь очно",
    noticeTimeAndPlace: "Новые время и место",
    changedSubject: "Изменено",
    whatChanged: "Что изменилось",
    changeTime: "Время",
    onlineLink: "Онлайн-ссылка",
    cancelledEvent: "Мероприятие отменено",
    cancelledText:
      "Это мероприятие отменено и не состоится. Прилагаемый файл календаря отмечает его как отменённое.",
    reminderToday: "Сегодня",
    reminderTodayAt: "Сегодня в {time}",
    reminderTomorrow: "Завтра",
    reminderTomorrowAt: "Завтра в {time}",
    reminderOn: "{date}",
    reminderOnAt: "{date} в {time}",
    pageManageReminders: "Напоминать мне перед каждым мероприятием, о котором мне сообщили",
    addToCalendar: "Добавить в календарь",
    calendarAttached: "Мероприятие также приложено к письму в виде файла календаря (event.ics).",
    updateCalendar: "Обновить календарь",
    calendarUpdateAttached:
      "Обновлённое мероприятие приложено к письму в виде файла календаря (event.ics): откройте его, чтобы обновить запись в календаре.",
    eventPage: "Страница мероприятия",
    manage: "Изменить язык или серии",
    unsubscribe: "Отписаться",
    whyYouGetThis: "Вы получили это письмо, потому что подписались на анонсы мероприятий от {organisation}.",
    confirmSubject: "{organisation}: подтвердите подписку",
    confirmHeading: "Подтвердите подписку",
    confirmIntro:
      "Кто-то, вероятно вы, запросил получение анонсов новых мероприятий от {organisation} на этот адрес электронной почты.",
    confirmButton: "Подтвердить подписку",
    copyLink: "Если кнопка не работает, скопируйте этот адрес в браузер:",
    confirmExpires: "Ссылка действует до {date}.",
    confirmIgnore:
      "Если вы этого не запрашивали, просто проигнорируйте письмо: ничего не произойдёт, срок действия запроса истечёт, и анонсы приходить не будут.",
    alreadySubject: "{organisation}: вы уже подписаны",
    alreadyHeading: "Вы уже подписаны",
    alreadyText:
      "Кто-то, вероятно вы, попросил подписать этот адрес на анонсы мероприятий {organisation}. Адрес уже подписан, поэтому ничего не изменилось. Чтобы изменить язык или серии, воспользуйтесь ссылкой ниже.",
    pageConfirmText:
      "Нажмите кнопку, чтобы подтвердить, что вы хотите получать на этот адрес анонсы новых мероприятий.",
    pageConfirmedTitle: "Подписка подтверждена",
    pageConfirmedText:
      "Спасибо. Вы будете получать письмо о каждом новом мероприятии. В каждом письме есть ссылки, чтобы изменить настройки или отписаться.",
    pageUnsubscribeTitle: "Отписка от анонсов мероприятий",
    pageUnsubscribeText: "Нажмите кнопку, чтобы больше не получать анонсы мероприятий на этот адрес.",
    pageUnsubscribedTitle: "Вы отписались",
    pageUnsubscribedText:
      "Анонсы мероприятий больше не будут приходить на этот адрес. Подписаться снова можно в любое время.",
    pageManageTitle: "Ваша подписка",
    pageManageLanguage: "Язык писем",
    pageManageSeries: "Серии мероприятий",
    pageManageSeriesHint:
      "Отметьте серии, которые вас интересуют. Если ничего не отметить, вы будете получать анонсы всех мероприятий.",
    pageManageSave: "Сохранить",
    pageManageSavedTitle: "Настройки сохранены",
    pageManageSavedText: "Изменения вступят в силу со следующего анонса.",
    pageInvalidTitle: "Эта ссылка не работает",
    pageInvalidExpired:
      "Срок действия ссылки истёк. Чтобы получать анонсы, подпишитесь снова: вы получите новое письмо для подтверждения.",
    pageInvalidLeft:
      "Этот адрес отписался от рассылки, поэтому ссылки в прежних письмах больше не работают. Чтобы снова получать анонсы, подпишитесь снова: вы получите новое письмо для подтверждения.",
    pageInvalidBroken:
      "Ссылка неполная или была изменена. Откройте её снова из письма и убедитесь, что используется вся ссылка целиком.",
  },
  uk: {
    newEvent: "Новий захід",
    noticeDate: "Нова дата",
    noticeTime: "Новий час",
    noticeDateTime: "Нові дата й час",
    noticeVenue: "Нове місце",
    noticeOnlineLink: "Нове онлайн-посилання",
    noticeNowOnline: "Тепер онлайн",
    noticeNowInPerson: "Тепер очно",
    noticeTimeAndPlace: "Нові час і місце",
    changedSubject: "Змінено",
    whatChanged: "Що змінилося",
    changeTime: "Час",
    onlineLink: "Онлайн-посилання",
    cancelledEvent: "Захід скасовано",
    cancelledText:
      "Цей захід скасовано, і він не відбудеться. Доданий файл календаря позначає його як скасований.",
    reminderToday: "Сьогодні",
    reminderTodayAt: "Сьогодні о {time}",
    reminderTomorrow: "Завтра",
    reminderTomorrowAt: "Завтра о {time}",
    reminderOn: "{date}",
    reminderOnAt: "{date} о {time}",
    pageManageReminders: "Нагадувати мені перед кожним заходом, про який мені повідомили",
    addToCalendar: "Додати до календаря",
    calendarAttached: "Захід також додано до листа як файл календаря (event.ics).",
    updateCalendar: "Оновити календар",
    calendarUpdateAttached:
      "Оновлений захід додано до листа як файл календаря (event.ics): відкрийте його, щоб оновити запис у календарі.",
    eventPage: "Сторінка заходу",
    manage: "Змінити мову або серії",
    unsubscribe: "Відписатися",
    whyYouGetThis: "Ви отримали цей лист, тому що підписалися на анонси заходів від {organisation}.",
    confirmSubject: "{organisation}: підтвердьте підписку",
    confirmHeading: "Підтвердьте підписку",
    confirmIntro:
      "Хтось, імовірно ви, попросив надсилати анонси нових заходів від {organisation} на цю адресу електронної пошти.",
    confirmButton: "Підтвердити підписку",
    copyLink: "Якщо кнопка не працює, скопіюйте цю адресу в браузер:",
    confirmExpires: "Посилання дійсне до {date}.",
    confirmIgnore:
      "Якщо ви цього не просили, просто проігноруйте лист: нічого не станеться, термін дії запиту мине, і анонси не надходитимуть.",
    alreadySubject: "{organisation}: ви вже підписані",
    alreadyHeading: "Ви вже підписані",
    alreadyText:
      "Хтось, імовірно ви, попросив підписати цю адресу на анонси заходів {organisation}. Адресу вже підписано, тому нічого не змінилося. Щоб змінити мову або серії, скористайтеся посиланням нижче.",
    pageConfirmText:
      "Натисніть кнопку, щоб підтвердити, що бажаєте отримувати на цю адресу анонси нових заходів.",
    pageConfirmedTitle: "Підписку підтверджено",
    pageConfirmedText:
      "Дякуємо. Ви отримуватимете лист про кожен новий захід. У кожному листі є посилання, щоб змінити налаштування або відписатися.",
    pageUnsubscribeTitle: "Відписка від анонсів заходів",
    pageUnsubscribeText: "Натисніть кнопку, щоб більше не отримувати анонси заходів на цю адресу.",
    pageUnsubscribedTitle: "Ви відписалися",
    pageUnsubscribedText:
      "Анонси заходів більше не надходитимуть на цю адресу. Підписатися знову можна будь-коли.",
    pageManageTitle: "Ваша підписка",
    pageManageLanguage: "Мова листів",
    pageManageSeries: "Серії заходів",
    pageManageSeriesHint:
      "Позначте серії, які вас цікавлять. Якщо нічого не позначити, ви отримуватимете анонси всіх заходів.",
    pageManageSave: "Зберегти",
    pageManageSavedTitle: "Налаштування збережено",
    pageManageSavedText: "Зміни діятимуть з наступного анонсу.",
    pageInvalidTitle: "Це посилання не працює",
    pageInvalidExpired:
      "Термін дії посилання минув. Щоб отримувати анонси, підпишіться знову: ви отримаєте новий лист для підтвердження.",
    pageInvalidLeft:
      "Ця адреса відписалася від розсилки, тому посилання в попередніх листах більше не працюють. Щоб знову отримувати анонси, підпишіться знову: ви отримаєте новий лист для підтвердження.",
    pageInvalidBroken:
      "Посилання неповне або змінене. Відкрийте його знову з листа й переконайтеся, що використано все посилання.",
  },
});

export type MailMessages = Messages & (typeof MAIL_MESSAGES)["en"];

/** The language the interface text is shown in: the requested one when we have a dictionary for it, else English. */
export const interfaceLanguageFor = (language: LanguageCode): InterfaceLanguage =>
  isInterfaceLanguage(language) ? language : "en";

// Merged once: a fan-out renders thousands of mails.
const MERGED = new Map<InterfaceLanguage, MailMessages>(
  INTERFACE_LANGUAGES.map((language) => [language, { ...messagesFor(language), ...MAIL_MESSAGES[language] }]),
);

/** Feed labels and mail/page strings for a language, in English for a language without a dictionary. */
export const mailMessagesFor = (language: LanguageCode): MailMessages =>
  MERGED.get(interfaceLanguageFor(language)) ?? { ...messagesFor("en"), ...MAIL_MESSAGES.en };

/** The template with each `{name}` replaced by its value; unknown names stay visible rather than vanish. */
export const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
