import type { EventInput, Series } from "../shared/domain/event";

/**
 * The event the product was started from (../shared/seeds, the EU4Digital programme's page in
 * Georgian) and an English version written from the same facts. Seeded on the first start.
 */
export const SEED_SERIES_ID = "ict-innovation-networking";

export const SEED_SERIES: Pick<Series, "translations"> = {
  translations: {
    en: {
      name: "ICT innovation networking events",
      description:
        "Networking events that help communities form around selected ICT innovation policy areas in the Eastern Partnership region, and build lasting bilateral and multilateral links between Eastern Partnership organisations and EU stakeholders.",
    },
    ka: {
      name: "საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების ქსელური აქტივობის ღონისძიებები",
      description:
        "საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების ქსელური აქტივობის ღონისძიებების მიზანია აღმოსავლეთ პარტნიორობის რეგიონში საზოგადოებების ჩამოყალიბების მხარდაჭერა საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების პოლიტიკის შერჩეულ სფეროებში.",
    },
  },
};

export const SEED_EVENT: EventInput = {
  slug: "ict-innovation-networking-3",
  series: SEED_SERIES_ID,
  start: "2020-12-14",
  end: "2020-12-14",
  timeZone: "Europe/Brussels",
  location: { type: "online" },
  // The Georgian names, roles and organisations as the seed page writes them; English is the default.
  moderator: {
    name: "Anna Pobol",
    role: "Head of ICT Innovation, EU4Digital",
    translations: {
      ka: {
        name: "ანა პობოლი",
        role: "პროგრამის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მიმართულების ხელმძღვანელი",
      },
    },
  },
  speakers: [
    {
      name: "Christophe Guichard",
      role: "Lead policy officer",
      organisation: "European Commission, DG GROW",
      translations: {
        ka: {
          name: "კრისტოფ გიშარი",
          role: "პოლიტიკის წამყვანი სპეციალისტი",
          organisation: "ევროკომისია (European Commission, DG GROW)",
        },
      },
    },
    {
      name: "Jan Maarten de Vet",
      role: "Project manager",
      organisation: "European Cluster Collaboration Platform",
      translations: {
        ka: {
          name: "იან მაარტენ დე ვეტი",
          role: "პროექტის მენეჯერი",
          organisation: "ევროპის კლასტერების თანამშრომლობის პლატფორმა",
        },
      },
    },
    {
      name: "Lucia Seel",
      role: "Profile validation manager",
      organisation: "European Cluster Collaboration Platform",
      translations: {
        ka: {
          name: "ლუსია სილი",
          role: "პროფილის ვალიდაციის მენეჯერი",
          organisation: "ევროპის კლასტერების თანამშრომლობის პლატფორმა",
        },
      },
    },
    {
      name: "Andrei Kelemen",
      role: "Executive director",
      organisation: "ClujIT Cluster",
      country: "RO",
      translations: {
        ka: { name: "ანდრეი კელემენი", role: "აღმასრულებელი დირექტორი", organisation: "ClujIT Cluster" },
      },
    },
    {
      name: "Liudmyla Shiyko",
      role: "General director",
      organisation: "Precarpathian Eco-Energy Cluster",
      country: "UA",
      translations: {
        ka: {
          name: "ლიუდმილა შიიკო",
          role: "გენერალური დირექტორი",
          organisation: "პრეკარპატეთის ეკო-ენერგეტიკული კლასტერი",
        },
      },
    },
    {
      name: "Oleksandr Yurchak",
      role: "General director",
      organisation: "Association of Industrial Automation Enterprises",
      country: "UA",
      translations: {
        ka: {
          name: "ალექსანდრე იურჩაკი",
          role: "გენერალური დირექტორი",
          organisation: "საწარმოო ავტომატიზაციის ასოციაცია",
        },
      },
    },
    {
      name: "Olga Shapoval",
      role: "Executive director",
      organisation: "Kharkiv IT Cluster",
      country: "UA",
      translations: {
        ka: {
          name: "ოლგა შაპოვალი",
          role: "აღმასრულებელი დირექტორი",
          organisation: "ხარკოვის საინფორმაციო ტექნოლოგიების კლასტერი",
        },
      },
    },
  ],
  translations: {
    ka: {
      title:
        "საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მესამე ქსელური ღონისძიება: ინოვაციური კლასტერების განვითარების მხარდაჭერა",
      summary:
        "ინიციატივის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების ქსელური ღონისძიება 14 დეკემბერს ჩატარდება.",
      body:
        "<p>ვირტუალური ღონისძიების თემაა “საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების კლასტერების ქსელური აქტივობა ევროკავშირსა და აღმოსავლეთ პარტნიორობის ქვეყნებში კლასტერის ორგანიზაციების განვითარების და რეგიონული თანამშრომლობის მხარდასაჭერად”.</p>" +
        "<p>ღონისძიების მიზანია აღმოსავლეთ პარტნიორობის კლასტერების და კლასტერის ანალოგიური ორგანიზაციების ცნობადობის გაუმჯობესების და ევროპის კლასტერების თანამშრომლობის პლატფორმის (ECCP) რეგისტრაციის მხარდაჭერა. გარდა ამისა, ღონისძიების ამოცანა იქნება კლასტერების ორგანიზაციის და განვითარების პრაქტიკული გააზრება და შესწავლა, და კლასტერებს შორის რეგიონული თანამშრომლობის გაუმჯობესება.</p>" +
        "<p>ღონისძიება დაიწყება კლასტერის პოლიტიკის საფუძვლების მიმოხილვით ინტერნაციონალიზაციის კონტექსტში ევროკომისიის თვალსაზრისით. შემდეგ ევროპის კლასტერების თანამშრომლობის პლატფორმა, (ECCP) წარმოადგენს, თუ როგორ ეხმარება პლატფორმა კლასტერებს საერთაშორისო ცნობადობის მიღწევაში და მხარს უჭერს ქსელური აქტივობას და თანამშრომლობას ევროკავშირის კლასტერებთან.</p>" +
        "<p>სესიებზე, რომელთა მოდერატორი იქნება ანა პობოლი, პროგრამის EU4Digital საინფორმაციო და საკომუნიკაციო ტექნოლოგიური ინოვაციების მიმართულების ხელმძღვანელი, წარმოდგენილი იქნება პრეზენტაციები და კითხვა-პასუხის სესიები ევროკავშირის და აღმოსავლეთ პარტნიორობის რეგიონის ამ დარგის შემდეგი წამყვანი სპიკერების მონაწილეობით.</p>",
    },
    en: {
      title: "Third ICT Innovation networking event: supporting the development of innovative clusters",
      summary: "The EU4Digital ICT Innovation networking event takes place online on 14 December.",
      body:
        "<p>The virtual event is themed “ICT innovation cluster networking in the EU and the Eastern Partnership countries to support the development of cluster organisations and regional cooperation”.</p>" +
        "<p>It aims to raise the visibility of Eastern Partnership clusters and cluster-like organisations and to support their registration on the European Cluster Collaboration Platform (ECCP), to explore in practice how clusters are organised and developed, and to improve regional cooperation between clusters.</p>" +
        "<p>The event opens with an overview of cluster policy in the context of internationalisation from the European Commission's point of view. The ECCP then presents how it helps clusters gain international visibility and supports networking and cooperation with EU clusters.</p>" +
        "<p>The sessions, moderated by Anna Pobol, head of ICT Innovation at EU4Digital, bring presentations and question-and-answer sessions with leading speakers from the EU and the Eastern Partnership region.</p>",
    },
  },
};
