"""The sources of the default figures in Dutch, by their English text (`inputs.defaults`, `inputs.schema`).

A report or workbook in Dutch cites its figures in Dutch (`source`); tests/test_dutch.py checks that every
default figure has its Dutch source here, so that a new figure is not cited in English in a Dutch report.
"""

from __future__ import annotations

from typing import Final

#: (English source, Dutch)
_PAIRS: Final[tuple[tuple[str, str], ...]] = (
    (
        (
            "derived: BBV indicators: 6.8-11 municipal FTE per 1,000 inhabitants x P&O survey: 1 HR FTE per "
            "50-100 employees (8 / 67)"
        ),
        (
            "afgeleid: BBV-kengetallen: 6,8-11 gemeentelijke fte per 1.000 inwoners x P&O-onderzoek: 1 P&O-fte "
            "per 50-100 medewerkers (8 / 67)"
        ),
    ),
    (
        (
            "ASSUMPTION: no sourced scale for this domain, so the general administration figure (ESB 2015: 66,000"
            " inhabitants; IPSE 2019: 40,000-65,000)"
        ),
        (
            "AANNAME: geen onderbouwde schaal voor dit taakveld, dus het getal voor de algemene bedrijfsvoering "
            "(ESB 2015: 66.000 inwoners; IPSE 2019: 40.000-65.000)"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on ambtelijkefusie.nl (5-10 % structural saving): one civil service of small "
            "municipalities (each under 25,000 inhabitants) saves 5-10 % of the pooled staff cost"
        ),
        (
            "AANNAME gekalibreerd op ambtelijkefusie.nl (5-10 % structurele besparing): één ambtelijke "
            "organisatie van kleine gemeenten (elk onder 25.000 inwoners) bespaart 5-10 % van de gebundelde "
            "personeelskosten"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on Allers & de Greef 2018: cooperation raises spending for large "
            "municipalities (above the cost-minimising scale coordination grows with the work)"
        ),
        (
            "AANNAME gekalibreerd op Allers & de Greef 2018: samenwerking verhoogt de uitgaven van grote "
            "gemeenten (boven de kostenminimaliserende schaal groeit de afstemming mee met het werk)"
        ),
    ),
    (
        (
            "ASSUMPTION: CAO Gemeenten scale 9-10 with employer charges (Berenschot 2016: EUR 30.2k overhead per "
            "FTE comes on top)"
        ),
        (
            "AANNAME: CAO Gemeenten schaal 9-10 met werkgeverslasten (Berenschot 2016: € 30.200 overhead per fte "
            "komt erbovenop)"
        ),
    ),
    (
        (
            "ASSUMPTION: size adds 95 % of what it can to quality by the workload of a 50,000-inhabitant "
            "municipality (IPSE 2019 cost-minimising scale 40,000-65,000; Niaounakis & Blank 2017: scale gains in"
            " tax work run out around 60,000 inhabitants)"
        ),
        (
            "AANNAME: omvang voegt 95 % van wat hij kan toe aan kwaliteit bij de werklast van een gemeente van "
            "50.000 inwoners (IPSE 2019 kostenminimaliserende schaal 40.000-65.000; Niaounakis & Blank 2017: "
            "schaalvoordelen in belastingwerk raken op rond 60.000 inwoners)"
        ),
    ),
    (
        "ASSUMPTION: advice at the workplace now and then",
        "AANNAME: advies op de werkplek af en toe",
    ),
    (
        (
            "ASSUMPTION anchored on A&O fonds Personeelsmonitor: sick leave 5.6-6.7 %; plus holidays and leave "
            "(domain brief: 0.15-0.20)"
        ),
        (
            "AANNAME verankerd in A&O-fonds Personeelsmonitor: ziekteverzuim 5,6-6,7 %; plus vakantie en verlof "
            "(domeinnotitie: 0,15-0,20)"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on Beek e.o. and Beemster e.o. (their best pooling gains under 1 % of their "
            "cash cost with the risk their conditions carry): while a service stands empty a quarter of its work "
            "cannot wait and is bought in at 150 % of its cost; the rest waits (salaries are paid during leave "
            "anyway)"
        ),
        (
            "AANNAME gekalibreerd op Beek e.o. en Beemster e.o. (hun beste samenwerkingswinst onder 1 % van hun "
            "kosten in geld met het risico dat hun voorwaarden meebrengen): zolang een taak onbezet is, kan een "
            "kwart van het werk niet wachten en wordt het ingehuurd tegen 150 % van de kosten; de rest wacht "
            "(salarissen lopen tijdens verlof toch door)"
        ),
    ),
    (
        "definition: back office",
        "definitie: bedrijfsvoering (backoffice)",
    ),
    (
        (
            "ASSUMPTION calibrated on the seed regions (one civil service recommended in at most 3 of 9) and "
            "anchored on Bogetoft & Wittrup (a service-level index over 55 indicators does not correlate with "
            "spending) and Berenschot 2018 (merged civil services missed their quality goals): a department "
            "without specialists still delivers most of the service, so size can add at most the rest"
        ),
        (
            "AANNAME gekalibreerd op de regio's van het artikel (één ambtelijke organisatie aanbevolen in hooguit"
            " 3 van 9) en verankerd in Bogetoft & Wittrup (een dienstverleningsindex over 55 indicatoren hangt "
            "niet samen met de uitgaven) en Berenschot 2018 (gefuseerde ambtelijke organisaties haalden hun "
            "kwaliteitsdoelen niet): een afdeling zonder specialisten levert toch het meeste van de dienst, dus "
            "omvang kan hooguit de rest toevoegen"
        ),
    ),
    (
        "the region's limit (limits.max_travel_km)",
        "de grens van de regio (limits.max_travel_km)",
    ),
    (
        (
            "derived: COELO: tax collection is 0.4 % of the budget; about 15 % cheaper when cooperating x EUR "
            "2,300 budget per inhabitant / EUR 80k per FTE"
        ),
        (
            "afgeleid: COELO: belastingheffing is 0,4 % van de begroting; ongeveer 15 % goedkoper bij "
            "samenwerking x € 2.300 begroting per inwoner / € 80.000 per fte"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on observed tax cooperations (seta calibrate): `seta calibrate nl-2024-taxes "
            "--gap 0` fits it on the six training offices (tax_cooperations_train.csv) and on the share of "
            "municipalities that cooperate on taxes (its --share taxes=40-80; docs/domain.md: about half to two "
            "thirds): 83,438, or 84,203 when its search starts at 83,000, rounded down; between its two sources, "
            "Niaounakis & Blank 2017 (scale gains in tax work run out around 60,000 inhabitants) and IPSE 2015, "
            "2019 (tax collection is cheapest at about 230,000 WOZ objects, about 460,000 inhabitants): the "
            "offices pull the scale up, the share of municipalities that pool holds it at 80 %"
        ),
        (
            "AANNAME gekalibreerd op waargenomen belastingsamenwerkingen (seta calibrate): `seta calibrate "
            "nl-2024-taxes --gap 0` past het aan op de zes trainingskantoren (tax_cooperations_train.csv) en op "
            "het aandeel gemeenten dat samenwerkt bij belastingen (zijn --share taxes=40-80; docs/domain.md: "
            "ongeveer de helft tot twee derde): 83.438, of 84.203 als de zoektocht bij 83.000 begint, naar "
            "beneden afgerond; tussen zijn twee bronnen, Niaounakis & Blank 2017 (schaalvoordelen in "
            "belastingwerk raken op rond 60.000 inwoners) en IPSE 2015, 2019 (belastingheffing is het goedkoopst "
            "bij ongeveer 230.000 WOZ-objecten, ongeveer 460.000 inwoners): de kantoren trekken de schaal omhoog,"
            " het aandeel gemeenten dat samenwerkt houdt haar op 80 %"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on COELO (about 15 % cheaper) and Niaounakis & Blank 2015 (more than 20 % for "
            "small municipalities): taxes pooled among small municipalities are 15-25 % cheaper"
        ),
        (
            "AANNAME gekalibreerd op COELO (ongeveer 15 % goedkoper) en Niaounakis & Blank 2015 (meer dan 20 % "
            "voor kleine gemeenten): belastingen die kleine gemeenten samen doen zijn 15-25 % goedkoper"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on observed tax cooperations (seta calibrate): `seta calibrate nl-2024-taxes "
            "--gap 0` fits it on the six training offices (tax_cooperations_train.csv): at the bottom of its "
            "range 0-0.06 (0-0.0056 keeps every office within 1 % of optimal): offices of 0.5 to 1.1 M "
            "inhabitants, beyond IPSE's cost-minimising scale, show no rising cost of tax work there"
        ),
        (
            "AANNAME gekalibreerd op waargenomen belastingsamenwerkingen (seta calibrate): `seta calibrate "
            "nl-2024-taxes --gap 0` past het aan op de zes trainingskantoren (tax_cooperations_train.csv): "
            "onderaan zijn bereik 0-0,06 (0-0,0056 houdt elk kantoor binnen 1 % van optimaal): kantoren van 0,5 "
            "tot 1,1 mln inwoners, voorbij de kostenminimaliserende schaal van IPSE, tonen daar geen stijgende "
            "kosten van belastingwerk"
        ),
    ),
    (
        "ASSUMPTION: valuation visits",
        "AANNAME: taxatiebezoeken",
    ),
    (
        (
            "ASSUMPTION calibrated on the observed tax offices (tax_cooperations_train.csv): tax work is done at "
            "the desk, valuation visits aside, and the smallest host radius that holds each office is 24 km "
            "(GBTwente) to 73 km (BsGW, 29 members) in seta's road distance"
        ),
        (
            "AANNAME gekalibreerd op de waargenomen belastingkantoren (tax_cooperations_train.csv): belastingwerk"
            " gebeurt aan het bureau, op taxatiebezoeken na, en de kleinste straal rond de gastheergemeente die "
            "elk kantoor omvat is 24 km (GBTwente) tot 73 km (BsGW, 29 deelnemers) in de wegafstand van seta"
        ),
    ),
    (
        (
            "ASSUMPTION: this task's share of the BBV indicators: 6.8-11 municipal FTE per 1,000 inhabitants (no "
            "sourced split by task)"
        ),
        (
            "AANNAME: het aandeel van deze taak in de BBV-kengetallen: 6,8-11 gemeentelijke fte per 1.000 "
            "inwoners (geen onderbouwde verdeling per taak)"
        ),
    ),
    (
        "ASSUMPTION: desk work",
        "AANNAME: bureauwerk",
    ),
    (
        "ASSUMPTION: enforcement needs people on the street (domain brief)",
        "AANNAME: handhaving vraagt mensen op straat (domeinnotitie)",
    ),
    (
        "definition: work on the street or at the door",
        "definitie: werk op straat of aan de deur",
    ),
    (
        "ASSUMPTION: workplace support on site",
        "AANNAME: ondersteuning op de werkplek ter plaatse",
    ),
    (
        "ASSUMPTION: press and events on site",
        "AANNAME: pers en evenementen ter plaatse",
    ),
    (
        "ASSUMPTION: home visits",
        "AANNAME: huisbezoeken",
    ),
    (
        "ASSUMPTION: inspections at companies",
        "AANNAME: inspecties bij bedrijven",
    ),
    (
        "definition",
        "definitie",
    ),
    (
        "definition: informal exchange, no transfer of staff (seed)",
        "definitie: informele uitwisseling, geen overgang van personeel (artikel)",
    ),
    (
        "definition: a pool has at least two members",
        "definitie: een pool heeft minstens twee deelnemers",
    ),
    (
        "ASSUMPTION: beyond ten members a pool is no longer one arrangement",
        "AANNAME: boven tien deelnemers is een pool geen enkele regeling meer",
    ),
    (
        "no limit",
        "geen grens",
    ),
    (
        "ASSUMPTION: Beemster e.o. realised 3 of 30 proposals (seed)",
        "AANNAME: Beemster e.o. realiseerde 3 van 30 voorstellen (artikel)",
    ),
    (
        "none",
        "geen",
    ),
    (
        "ASSUMPTION: chairing an informal network",
        "AANNAME: een informeel netwerk voorzitten",
    ),
    (
        "ASSUMPTION: a member's time in the network's meetings",
        "AANNAME: de tijd van een deelnemer in de bijeenkomsten van het netwerk",
    ),
    (
        "ASSUMPTION: starting a network: an inventory and a plan",
        "AANNAME: een netwerk starten: een inventarisatie en een plan",
    ),
    (
        "ASSUMPTION: a member's share of starting it",
        "AANNAME: het aandeel van een deelnemer in de start",
    ),
    (
        "ASSUMPTION: no loss of control unless a structure says so",
        "AANNAME: geen verlies van zeggenschap, tenzij een vorm dat meebrengt",
    ),
    (
        (
            "ASSUMPTION anchored on Korsten & van de Laar 2007 (the seed article): Beemster e.o. realised 3 of 30"
            " proposals and Beek e.o. stopped after a year; an informal network stalls easily (domain brief: weak"
            " formalisation, high risk of stalling)"
        ),
        (
            "AANNAME verankerd in Korsten & van de Laar 2007 (het artikel): Beemster e.o. realiseerde 3 van 30 "
            "voorstellen en Beek e.o. stopte na een jaar; een informeel netwerk loopt makkelijk vast "
            "(domeinnotitie: weinig geformaliseerd, groot risico op vastlopen)"
        ),
    ),
    (
        "definition: nobody moved, so nobody moves back",
        "definitie: niemand is verhuisd, dus niemand verhuist terug",
    ),
    (
        "definition: members are municipalities",
        "definitie: deelnemers zijn gemeenten",
    ),
    (
        "ASSUMPTION: a centre municipality serves a handful of clients (Helden: two)",
        "AANNAME: een centrumgemeente bedient een handvol afnemers (Helden: twee)",
    ),
    (
        "ASSUMPTION: one organisation does the work under contract (Helden, seed)",
        "AANNAME: één organisatie doet het werk onder contract (Helden, artikel)",
    ),
    (
        (
            "ASSUMPTION anchored on Allers, Geertsema & van Ommeren 2015 (joint bodies borrow at about 4 % higher"
            " interest): a joint body's weaker steering costs a share of its staff cost"
        ),
        (
            "AANNAME verankerd in Allers, Geertsema & van Ommeren 2015 (gemeenschappelijke regelingen lenen tegen"
            " ongeveer 4 % hogere rente): de zwakkere sturing van een bedrijfsvoeringsorganisatie kost een deel "
            "van haar personeelskosten"
        ),
    ),
    (
        "ASSUMPTION: one service agreement (DVO) per domain",
        "AANNAME: één dienstverleningsovereenkomst (DVO) per taakveld",
    ),
    (
        (
            "ASSUMPTION calibrated on Allers & de Greef 2018: with cost as the only criterion the optimum is "
            "selective (seven of the nine seed regions keep a service in house)"
        ),
        (
            "AANNAME gekalibreerd op Allers & de Greef 2018: met kosten als enig criterium is het optimum "
            "selectief (zeven van de negen regio's van het artikel houden een taak in eigen huis)"
        ),
    ),
    (
        "ASSUMPTION: drawing up the service agreement and its systems",
        "AANNAME: de dienstverleningsovereenkomst en haar systemen opstellen",
    ),
    (
        "ASSUMPTION: moving a client's files, contracts and data",
        "AANNAME: de dossiers, contracten en gegevens van een afnemer overzetten",
    ),
    (
        "ASSUMPTION: moving one FTE: workplace, training, travel arrangements",
        "AANNAME: één fte overzetten: werkplek, opleiding, reisafspraken",
    ),
    (
        (
            "ASSUMPTION: a client municipality buys the work under contract and steers it only through the "
            "contract (domain brief: members lose some control); the host keeps its own department and gives up "
            "nothing"
        ),
        (
            "AANNAME: een afnemende gemeente koopt het werk in onder contract en stuurt het alleen via het "
            "contract (domeinnotitie: deelnemers verliezen wat zeggenschap); de gastheergemeente houdt haar eigen"
            " afdeling en levert niets in"
        ),
    ),
    (
        "definition: the host absorbs the staff",
        "definitie: de gastheergemeente neemt het personeel over",
    ),
    (
        (
            "ASSUMPTION anchored on Servicepunt71 (a shared service centre that became a centre municipality in "
            "2021) and Helden (seed: fast success): no centre arrangement among the cases was undone"
        ),
        (
            "AANNAME verankerd in Servicepunt71 (een shared service centre dat in 2021 een "
            "centrumgemeenteconstructie werd) en Helden (artikel: snel succes): geen centrumregeling onder de "
            "gevallen is teruggedraaid"
        ),
    ),
    (
        (
            "De Kompanjie (Veendam, Pekela; 320 staff): dissolving cost about EUR 1 M (RTV Noord), about EUR "
            "3,000 per FTE; UW Samenwerking (IJsselstein, Montfoort): EUR 0.5-1.2 M, disputed (Binnenlands "
            "Bestuur 2018-11-27)"
        ),
        (
            "De Kompanjie (Veendam, Pekela; 320 medewerkers): opheffen kostte ongeveer € 1 mln (RTV Noord), "
            "ongeveer € 3.000 per fte; UW Samenwerking (IJsselstein, Montfoort): € 0,5-1,2 mln, omstreden "
            "(Binnenlands Bestuur 2018-11-27)"
        ),
    ),
    (
        "definition: the members spread the units over themselves; the units coordinate (K5, Kempen)",
        "definitie: de deelnemers verdelen de eenheden onder elkaar; de eenheden stemmen af (K5, Kempen)",
    ),
    (
        "ASSUMPTION: the seed's matrices have five members (K5, Kempen)",
        "AANNAME: de matrices van het artikel hebben vijf deelnemers (K5, Kempen)",
    ),
    (
        "ASSUMPTION: each municipality hosts one or two units (K5, Kempen)",
        "AANNAME: elke gemeente huisvest een of twee eenheden (K5, Kempen)",
    ),
    (
        (
            "ASSUMPTION: each unit is one organisation doing the work, as a centre municipality's is; what "
            "steering from several town halls lets go (K5) is in the risk that it fails"
        ),
        (
            "AANNAME: elke eenheid is één organisatie die het werk doet, zoals die van een centrumgemeente; wat "
            "sturing vanuit meerdere gemeentehuizen laat liggen (K5) zit in het risico dat het mislukt"
        ),
    ),
    (
        "ASSUMPTION: setting up a unit and its working agreements",
        "AANNAME: een eenheid en haar werkafspraken opzetten",
    ),
    (
        "ASSUMPTION: a member's share: files, data, secondment",
        "AANNAME: het aandeel van een deelnemer: dossiers, gegevens, detachering",
    ),
    (
        (
            "ASSUMPTION: balanced hosting keeps control spread: each member is a client of the others' units but "
            "hosts one itself, so less is given up than by a centre municipality's client"
        ),
        (
            "AANNAME: evenwichtig verdeelde eenheden houden de zeggenschap gespreid: elke deelnemer is afnemer "
            "van de eenheden van de anderen maar huisvest er zelf een, dus levert minder in dan een afnemer van "
            "een centrumgemeente"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on the seed's Kempen lesson: every pair of units a member depends on needs "
            "agreements, so that ten units in a matrix lose to one organisation mostly through coordination"
        ),
        (
            "AANNAME gekalibreerd op de les van de Kempen uit het artikel: elk paar eenheden waarvan een "
            "deelnemer afhangt vraagt afspraken, zodat tien eenheden in een matrix het vooral door afstemming "
            "verliezen van één organisatie"
        ),
    ),
    (
        (
            "ASSUMPTION anchored on Korsten & van de Laar 2007 (the seed article): K5 let go of steering and "
            "carried on, Kempen asked for an end state; as often undone as a merged civil service"
        ),
        (
            "AANNAME verankerd in Korsten & van de Laar 2007 (het artikel): K5 liet de sturing los en ging door, "
            "de Kempen vroegen om een eindbeeld; even vaak teruggedraaid als een ambtelijke fusie"
        ),
    ),
    (
        "definition: one body serves several domains (Drechtsteden)",
        "definitie: één organisatie bedient meerdere taakvelden (Drechtsteden)",
    ),
    (
        "ASSUMPTION: a joint body for two is a centre arrangement",
        "AANNAME: een bedrijfsvoeringsorganisatie voor twee is een centrumregeling",
    ),
    (
        "ASSUMPTION: the larger Dutch joint back offices",
        "AANNAME: de grotere Nederlandse gezamenlijke backoffices",
    ),
    (
        "definition: a shared service centre serves several domains",
        "definitie: een shared service centre bedient meerdere taakvelden",
    ),
    (
        "ASSUMPTION: every back-office domain seta knows",
        "AANNAME: elk bedrijfsvoeringstaakveld dat seta kent",
    ),
    (
        "ASSUMPTION: a shared service centre pools the back office (seed)",
        "AANNAME: een shared service centre bundelt de bedrijfsvoering (artikel)",
    ),
    (
        "ASSUMPTION: a professional organisation, steered at a distance",
        "AANNAME: een professionele organisatie, op afstand gestuurd",
    ),
    (
        (
            "ASSUMPTION calibrated on the Drechtsteden target (a configuration with a shared service centre "
            "closes 80 % of the best gain): a board that meets a few times a year and a director, part of whose "
            "post replaces the members' own heads of department"
        ),
        (
            "AANNAME gekalibreerd op het doel van de Drechtsteden (een configuratie met een shared service centre"
            " haalt 80 % van de beste winst): een bestuur dat een paar keer per jaar vergadert en een directeur, "
            "wiens functie deels de eigen afdelingshoofden van de deelnemers vervangt"
        ),
    ),
    (
        "ASSUMPTION: a service agreement per domain",
        "AANNAME: een dienstverleningsovereenkomst per taakveld",
    ),
    (
        "ASSUMPTION: commissioning per member",
        "AANNAME: opdrachtgeverschap per deelnemer",
    ),
    (
        "ASSUMPTION calibrated on the Drechtsteden target: setting up a joint body: board, systems, housing",
        (
            "AANNAME gekalibreerd op het doel van de Drechtsteden: een bedrijfsvoeringsorganisatie opzetten: "
            "bestuur, systemen, huisvesting"
        ),
    ),
    (
        "ASSUMPTION: moving a domain's processes into the body",
        "AANNAME: de processen van een taakveld in de organisatie onderbrengen",
    ),
    (
        "ASSUMPTION: a member's share: files, data, contracts",
        "AANNAME: het aandeel van een deelnemer: dossiers, gegevens, contracten",
    ),
    (
        "ASSUMPTION: a joint board steers, not the member alone",
        "AANNAME: een gezamenlijk bestuur stuurt, niet de deelnemer alleen",
    ),
    (
        (
            "ASSUMPTION anchored on Servicepunt71 (saved EUR 3 M in three years, then costs rose and quality "
            "fell; a centre municipality since 2021): as often undone as a merged civil service"
        ),
        (
            "AANNAME verankerd in Servicepunt71 (bespaarde € 3 mln in drie jaar, daarna stegen de kosten en "
            "daalde de kwaliteit; sinds 2021 een centrumgemeenteconstructie): even vaak teruggedraaid als een "
            "ambtelijke fusie"
        ),
    ),
    (
        (
            "ASSUMPTION anchored on the observed tax offices (tax_cooperations_train.csv): joint bodies of 8 to "
            "29 municipalities for one domain (BsGW: 29, with the water board), with room to grow"
        ),
        (
            "AANNAME verankerd in de waargenomen belastingkantoren (tax_cooperations_train.csv): "
            "bedrijfsvoeringsorganisaties van 8 tot 29 gemeenten voor één taakveld (BsGW: 29, met het "
            "waterschap), met ruimte om te groeien"
        ),
    ),
    (
        "ASSUMPTION: a professional organisation, steered at a distance (as a shared service centre)",
        "AANNAME: een professionele organisatie, op afstand gestuurd (zoals een shared service centre)",
    ),
    (
        (
            "ASSUMPTION calibrated on observed tax cooperations (seta calibrate): `seta calibrate nl-2024-taxes "
            "--gap 0` fits it on the six training offices (tax_cooperations_train.csv): at the bottom of its "
            "range 25,000-400,000 (up to 39,800 keeps every office within 1 % of optimal): the board of a joint "
            "body, beyond the management its staff's overhead already carries"
        ),
        (
            "AANNAME gekalibreerd op waargenomen belastingsamenwerkingen (seta calibrate): `seta calibrate "
            "nl-2024-taxes --gap 0` past het aan op de zes trainingskantoren (tax_cooperations_train.csv): "
            "onderaan zijn bereik 25.000-400.000 (tot 39.800 houdt elk kantoor binnen 1 % van optimaal): het "
            "bestuur van een bedrijfsvoeringsorganisatie, bovenop het management dat de overhead van haar "
            "personeel al draagt"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on observed tax cooperations (seta calibrate): `seta calibrate nl-2024-taxes "
            "--gap 0` fits it on the six training offices (tax_cooperations_train.csv): at the bottom of its "
            "range 0-40,000 (up to 3,700 keeps every office within 1 % of optimal): a member commissions the body"
            " through its seat on the board"
        ),
        (
            "AANNAME gekalibreerd op waargenomen belastingsamenwerkingen (seta calibrate): `seta calibrate "
            "nl-2024-taxes --gap 0` past het aan op de zes trainingskantoren (tax_cooperations_train.csv): "
            "onderaan zijn bereik 0-40.000 (tot 3.700 houdt elk kantoor binnen 1 % van optimaal): een deelnemer "
            "geeft opdrachten aan de organisatie via zijn zetel in het bestuur"
        ),
    ),
    (
        "ASSUMPTION: setting up a joint body: board, systems, housing (as a shared service centre)",
        (
            "AANNAME: een bedrijfsvoeringsorganisatie opzetten: bestuur, systemen, huisvesting (zoals een shared "
            "service centre)"
        ),
    ),
    (
        "ASSUMPTION: a member's share: files, data, contracts (as a shared service centre)",
        ("AANNAME: het aandeel van een deelnemer: dossiers, gegevens, contracten (zoals een shared service centre)"),
    ),
    (
        "ASSUMPTION: a joint board steers, not the member alone (as a shared service centre)",
        "AANNAME: een gezamenlijk bestuur stuurt, niet de deelnemer alleen (zoals een shared service centre)",
    ),
    (
        (
            "ASSUMPTION anchored on the observed tax offices: all six have run since they began (2007 to 2018), "
            "and a joint body under the Wgr has a board, a budget and exit terms (formalised, seed condition 5): "
            "half the rate of a shared service centre"
        ),
        (
            "AANNAME verankerd in de waargenomen belastingkantoren: alle zes draaien sinds hun start (2007 tot "
            "2018), en een bedrijfsvoeringsorganisatie onder de Wgr heeft een bestuur, een begroting en een "
            "uittreedregeling met uittreedsom (geformaliseerd, voorwaarde 5 van het artikel): de helft van het "
            "percentage van een shared service centre"
        ),
    ),
    (
        "definition: a water board can take part in a joint tax office (docs/observed.md)",
        "definitie: een waterschap kan meedoen in een gezamenlijk belastingkantoor (docs/observed.md)",
    ),
    (
        "definition: all domains together, same members (seed: Schagen e.o.)",
        "definitie: alle taakvelden samen, dezelfde deelnemers (artikel: Schagen e.o.)",
    ),
    (
        "ASSUMPTION: the seed's SEtA regions have three (Schagen) to five members",
        "AANNAME: de SEtA-regio's van het artikel hebben drie (Schagen) tot vijf deelnemers",
    ),
    (
        (
            "ASSUMPTION anchored on Berenschot 2018 (merged civil services: years of friction; BUCH missed its "
            "quality goals): one organisation does the work, as a centre municipality's does, and not every "
            "member gets all of its quality"
        ),
        (
            "AANNAME verankerd in Berenschot 2018 (ambtelijke fusies: jaren van wrijving; BUCH haalde zijn "
            "kwaliteitsdoelen niet): één werkorganisatie doet het werk, zoals die van een centrumgemeente, en "
            "niet elke deelnemer krijgt al haar kwaliteit"
        ),
    ),
    (
        (
            "ASSUMPTION calibrated on Allers & de Greef 2018 and Berenschot 2018: full pooling of real neighbours"
            " changes cash cost by -2 % to +3 % on average, not a saving on average for small municipalities, "
            "upwards for large ones (docs/model.md, Calibration)"
        ),
        (
            "AANNAME gekalibreerd op Allers & de Greef 2018 en Berenschot 2018: volledig samenwerken van echte "
            "buren verandert de kosten in geld gemiddeld met -2 % tot +3 %, gemiddeld geen besparing voor kleine "
            "gemeenten, omhoog voor grote (docs/model.md, Calibration)"
        ),
    ),
    (
        (
            "ASSUMPTION: councils stay autonomous and steer the joint organisation together, as the members of a "
            "shared service centre do; the staff is no longer their own"
        ),
        (
            "AANNAME: raden blijven zelfstandig en sturen de gezamenlijke werkorganisatie samen, zoals de "
            "deelnemers van een shared service centre; het personeel is niet langer van henzelf"
        ),
    ),
    (
        (
            "NRC 2015-10-23 (16 merged civil services end 2015) and Berenschot 2018 (61 municipalities, 4 of them"
            " dissolving): about 4 of 25 organisations undone after about four years each; since then "
            "Duivenvoorde (2020) and De Kompanjie (2021) were undone too: about 4-5 % a year"
        ),
        (
            "NRC 2015-10-23 (16 ambtelijke fusies eind 2015) en Berenschot 2018 (61 gemeenten, 4 ervan uit "
            "elkaar): ongeveer 4 van 25 organisaties teruggedraaid na elk ongeveer vier jaar; sindsdien zijn ook "
            "Duivenvoorde (2020) en De Kompanjie (2021) teruggedraaid: ongeveer 4-5 % per jaar"
        ),
    ),
    (
        "definition: the municipalities merge",
        "definitie: de gemeenten voegen samen",
    ),
    (
        "ASSUMPTION: Dutch mergers join up to about eight municipalities",
        "AANNAME: Nederlandse herindelingen voegen tot ongeveer acht gemeenten samen",
    ),
    (
        (
            "ASSUMPTION: one municipality with one organisation and one council steers all its work; a "
            "comparison, not a recommendation (the seed: cooperation stays needed after merging)"
        ),
        (
            "AANNAME: één gemeente met één organisatie en één raad stuurt al haar werk; een vergelijking, geen "
            "aanbeveling (het artikel: samenwerking blijft na een fusie nodig)"
        ),
    ),
    (
        "five North-Holland mergers 2012-16: one-off cost EUR 4.5-8 M",
        "vijf Noord-Hollandse herindelingen 2012-16: eenmalige kosten € 4,5-8 mln",
    ),
    (
        "definition: the municipality disappears",
        "definitie: de gemeente verdwijnt",
    ),
    (
        (
            "ASSUMPTION anchored on Allers & Geertsema 2016: amalgamation gives no aggregate saving; "
            "administration cost falls: the saving does not outweigh the merger cost"
        ),
        (
            "AANNAME verankerd in Allers & Geertsema 2016: herindeling geeft geen besparing in totaal; de "
            "bestuurskosten dalen: de besparing weegt niet op tegen de kosten van de fusie"
        ),
    ),
    (
        "definition: a merger is not undone",
        "definitie: een herindeling wordt niet teruggedraaid",
    ),
    (
        "ASSUMPTION: transition cost is written off over 8 years",
        "AANNAME: transitiekosten worden in 8 jaar afgeschreven",
    ),
    (
        (
            "Werkgroep discontovoet 2020 (Rapport werkgroep discontovoet 2020, Ministerie van Financien; in force"
            " from 1 January 2021): the standard real discount rate for Dutch cost-benefit analyses (MKBA), -1 % "
            "risk-free plus a 3.25 % risk premium"
        ),
        (
            "Werkgroep discontovoet 2020 (Rapport werkgroep discontovoet 2020, Ministerie van Financiën; geldig "
            "vanaf 1 januari 2021): de standaard reële discontovoet voor Nederlandse maatschappelijke "
            "kosten-batenanalyses (MKBA), -1 % risicovrij plus een risico-opslag van 3,25 %"
        ),
    ),
    (
        "ASSUMPTION: 200 working days x 2 trips x EUR 0.30 per km (time and cost)",
        "AANNAME: 200 werkdagen x 2 ritten x € 0,30 per km (tijd en kosten)",
    ),
    (
        "ASSUMPTION: road distance over straight-line distance",
        "AANNAME: wegafstand tegenover hemelsbrede afstand",
    ),
    (
        (
            "ASSUMPTION: full control over one domain is worth a quarter of a policy adviser's year (EUR 80,000) "
            "to a municipality: the time it spends steering the domain through others once it no longer runs it "
            "itself"
        ),
        (
            "AANNAME: volledige zeggenschap over één taakveld is voor een gemeente een kwart jaar van een "
            "beleidsadviseur waard (€ 80.000): de tijd die zij besteedt aan het sturen van het taakveld via "
            "anderen zodra zij het niet meer zelf uitvoert"
        ),
    ),
    (
        (
            "ASSUMPTION: prior ties halve a member's transition cost (trust; Korsten & van de Laar 2007 (the seed"
            " article), condition 9)"
        ),
        (
            "AANNAME: eerdere banden halveren de transitiekosten van een deelnemer (vertrouwen; Korsten & van de "
            "Laar 2007 (het artikel), voorwaarde 9)"
        ),
    ),
    (
        "Utrecht University 2018: about 27 joint arrangements per municipality",
        "Universiteit Utrecht 2018: ongeveer 27 gemeenschappelijke regelingen per gemeente",
    ),
    (
        "EUR per EUR",
        "EUR per EUR",
    ),
    (
        (
            "ASSUMPTION calibrated on the seed regions (one civil service recommended in at most 3 of 9, at least"
            " three structures recommended, Schagen's one civil service and Drechtsteden's shared service centre "
            "close): moving a service from weak (0.6) to adequate (0.8) is worth a tenth of its annual cost a "
            "year"
        ),
        (
            "AANNAME gekalibreerd op de regio's van het artikel (één ambtelijke organisatie aanbevolen in hooguit"
            " 3 van 9, minstens drie vormen aanbevolen, de ambtelijke fusie van Schagen en het shared service "
            "centre van de Drechtsteden dichtbij): een taak van zwak (0,6) naar voldoende (0,8) brengen is per "
            "jaar een tiende van haar jaarlijkse kosten waard"
        ),
    ),
    (
        "EUR per EUR of expected cover while a service stands empty",
        "EUR per EUR verwachte vervanging zolang een taak onbezet is",
    ),
    (
        "EUR per coordination interface x coordination_per_interface",
        "EUR per afstemmingskoppelvlak x coordination_per_interface",
    ),
    (
        "EUR per autonomy loss x autonomy_eur",
        "EUR per verlies aan zeggenschap x autonomy_eur",
    ),
    (
        "ASSUMPTION: a host farther than this (road km) is not a candidate for a member",
        ("AANNAME: een gastheergemeente verder weg dan dit (km over de weg) is geen kandidaat voor een deelnemer"),
    ),
    (
        "ASSUMPTION: a host absorbs at most 2.5 times its own staff in the pooled domains",
        ("AANNAME: een gastheergemeente neemt hooguit 2,5 keer haar eigen personeel in de gebundelde taakvelden op"),
    ),
    (
        "no such rule unless the region asks for it",
        "geen zulke regel, tenzij de regio erom vraagt",
    ),
    (
        "ASSUMPTION: a weak department delivers what one too small for a specialist does",
        "AANNAME: een zwakke afdeling levert wat een afdeling die te klein is voor een specialist levert",
    ),
    (
        "ASSUMPTION: half-way between weak and full quality",
        "AANNAME: halverwege zwakke en volledige kwaliteit",
    ),
    (
        "ASSUMPTION: a department that came well out of a review of its strength (Helden, seed)",
        "AANNAME: een afdeling die goed uit een sterkte-zwakteanalyse kwam (Helden, artikel)",
    ),
    (
        (
            "ASSUMPTION: a water board levies on the same WOZ objects with the municipalities' values (no "
            "valuation work of its own) and has two or three levies against a municipality's property tax, "
            "sewage, waste and smaller ones: its tax work is about a third of the municipalities' in its area. At"
            " this share every water board of the training offices does more tax work (14-43 FTE) than the "
            "calibrated scale of tax work (10 FTE), so joining saves it nothing in cash and seta leaves it "
            "outside: its reasons (one bill for the citizen, shared WOZ data) are not in the model"
        ),
        (
            "AANNAME: een waterschap heft op dezelfde WOZ-objecten met de waarden van de gemeenten (geen eigen "
            "taxatiewerk) en heeft twee of drie heffingen tegenover de onroerendezaakbelasting, rioolheffing, "
            "afvalstoffenheffing en kleinere heffingen van een gemeente: zijn belastingwerk is ongeveer een derde"
            " van dat van de gemeenten in zijn gebied. Bij dit aandeel doet elk waterschap van de "
            "trainingskantoren meer belastingwerk (14-43 fte) dan de gekalibreerde schaal van belastingwerk (10 "
            "fte), dus meedoen bespaart het niets in geld en seta laat het buiten: zijn redenen (één aanslag voor"
            " de burger, gedeelde WOZ-gegevens) zitten niet in het model"
        ),
    ),
    (
        "HiGHS through highspy",
        "HiGHS via highspy",
    ),
    (
        "seconds",
        "seconden",
    ),
    (
        "relative gap at which the solver may stop",
        "relatieve afstand waarbij de solver mag stoppen",
    ),
    (
        "one thread is repeatable and fastest on two cores (docs/stack.md)",
        "één thread is herhaalbaar en het snelst op twee kernen (docs/stack.md)",
    ),
    (
        "random seed",
        "startgetal van het toeval",
    ),
    (
        (
            "radius (covering) formulation where every pool is a pure facility-location choice, else pools (set "
            "partitioning, each member set a column) where the pools can be listed, else the textbook one "
            "(docs/model.md)"
        ),
        (
            "straal-formulering (overdekking) waar elke pool een zuivere vestigingsplaatskeuze is, anders pools "
            "(verzamelingspartitie, elke deelnemersverzameling een kolom) waar de pools op te sommen zijn, anders"
            " die uit het leerboek (docs/model.md)"
        ),
    ),
    (
        (
            "none: one model for the whole scenario; province: one model per province, solved side by side, pools"
            " stay within a province and no bound holds for the whole; province+whole: then the whole model, "
            "started from the provinces' answer, where pools may cross borders and the bound holds for the whole "
            "(docs/model.md)"
        ),
        (
            "none: één model voor het hele scenario; province: één model per provincie, naast elkaar opgelost, "
            "pools blijven binnen een provincie en geen grens geldt voor het geheel; province+whole: daarna het "
            "hele model, gestart vanuit het antwoord van de provincies, waar pools grenzen mogen overschrijden en"
            " de grens voor het geheel geldt (docs/model.md)"
        ),
    ),
    (
        (
            "ASSUMPTION: the failure rates describe cooperations whose conditions nobody stated, so an unstated "
            "condition leaves the rate as it is (the same for every structure: no source says otherwise)"
        ),
        (
            "AANNAME: de faalpercentages beschrijven samenwerkingen waarvan niemand de voorwaarden noemde, dus "
            "een onvermelde voorwaarde laat het percentage zoals het is (gelijk voor elke vorm: geen bron zegt "
            "anders)"
        ),
    ),
    (
        "ASSUMPTION: one organisation delivers the pool's quality",
        "AANNAME: één organisatie levert de kwaliteit van de pool",
    ),
    (
        (
            "ASSUMPTION: a pool starts on average half-way through its first year (staff move, systems are merged); "
            "the seed: 'savings come later'"
        ),
        (
            "AANNAME: een pool begint gemiddeld halverwege zijn eerste jaar (personeel verhuist, systemen worden "
            "samengevoegd); het artikel: 'de besparingen komen later'"
        ),
    ),
    (
        (
            "ASSUMPTION: the seed's quick wins and 'winning mood': two years of a working pool build the trust "
            "the next step needs"
        ),
        (
            "AANNAME: de quick wins en de 'winning mood' van het artikel: twee jaar een werkende pool bouwt het "
            "vertrouwen op dat de volgende stap nodig heeft"
        ),
    ),
    (
        (
            "ASSUMPTION anchored on Korsten & van de Laar 2007 (the seed article) (condition 9, prior ties; quick "
            "wins): cooperation that worked halves the chance that the next step stalls"
        ),
        (
            "AANNAME verankerd in Korsten & van de Laar 2007 (het artikel) (voorwaarde 9, eerdere banden; quick "
            "wins): samenwerking die werkte halveert de kans dat de volgende stap vastloopt"
        ),
    ),
)
SOURCES_NL: Final[dict[str, str]] = dict(_PAIRS)


def source(text: str, lang: str = "en") -> str:
    """A figure's source in the reader's language (a source without a Dutch text as it is)."""
    return SOURCES_NL.get(text, text) if lang == "nl" else text


#: the built-in scenarios' descriptions and the observed configurations' notes (inputs/scenarios,
#: inputs/data/nl/observed), by their English text: a scenario of one's own is shown as written
_TEXTS: Final[tuple[tuple[str, str], ...]] = (
    (
        "Beek, Valkenburg aan de Geul, Meerssen and Nuth worked on P&O, taxes, procurement and enforcement after a "
        "joint problem analysis; the effort stopped after a year (Korsten & van de Laar 2007).",
        "Beek, Valkenburg aan de Geul, Meerssen en Nuth werkten na een gezamenlijke probleemanalyse aan P&O, "
        "belastingen, inkoop en handhaving; de poging stopte na een jaar (Korsten & van de Laar 2007).",
    ),
    (
        "Beemster, Zeevang, Graft-De Rijp and Schermer realised 3 of 30 proposals: weak steering and no quick wins "
        "(Korsten & van de Laar 2007). Small municipalities, the four usual domains.",
        "Beemster, Zeevang, Graft-De Rijp en Schermer realiseerden 3 van 30 voorstellen: zwakke sturing en geen snelle "
        "successen (Korsten & van de Laar 2007). Kleine gemeenten, de vier gebruikelijke taakvelden.",
    ),
    (
        "Dordrecht, Zwijndrecht, Papendrecht, Sliedrecht, Hendrik-Ido-Ambacht and Alblasserdam built a strong joint "
        "organisation, the shared service centre form at scale (Korsten & van de Laar 2007). Back-office domains.",
        "Dordrecht, Zwijndrecht, Papendrecht, Sliedrecht, Hendrik-Ido-Ambacht en Alblasserdam bouwden een sterke "
        "gezamenlijke organisatie, de vorm van het shared service centre op schaal (Korsten & van de Laar 2007). "
        "Taakvelden van de bedrijfsvoering.",
    ),
    (
        "Meijel and Kessel asked the strong centre municipality Helden to take in their civil servants, spurred by "
        "the new social support act (Wmo) (Korsten & van de Laar 2007). The populations of these three "
        "municipalities, merged into Peel en Maas in 2010, are estimates.",
        "Meijel en Kessel vroegen de sterke centrumgemeente Helden hun ambtenaren over te nemen, aangespoord door de "
        "nieuwe Wet maatschappelijke ondersteuning (Wmo) (Korsten & van de Laar 2007). De inwonertallen van deze drie "
        "gemeenten, in 2010 opgegaan in Peel en Maas, zijn schattingen.",
    ),
    (
        "The five Kempen municipalities (Eersel, Bladel, Oirschot, Reusel-De Mierden, Bergeijk) work in a matrix on "
        "several areas; in 2007 they ask whether to double it, grow into one civil service, or merge (Korsten & van "
        "de Laar 2007). The four usual domains plus ICT.",
        "De vijf Kempengemeenten (Eersel, Bladel, Oirschot, Reusel-De Mierden, Bergeijk) werken op meerdere terreinen "
        "samen in een matrix; in 2007 vragen ze zich af of ze die verdubbelen, uitgroeien tot één werkorganisatie "
        "(ambtelijke fusie) of herindelen (Korsten & van de Laar 2007). De vier gebruikelijke taakvelden en ICT.",
    ),
    (
        "Five municipalities of the Krimpenerwaard (Bergambacht, Nederlek, Ouderkerk, Schoonhoven, Vlist) formed a "
        "matrix in which each hosts one unit; steering was let go and contracts between units were underestimated "
        "(Korsten & van de Laar 2007). The four usual domains plus ICT.",
        "Vijf gemeenten van de Krimpenerwaard (Bergambacht, Nederlek, Ouderkerk, Schoonhoven, Vlist) vormden een "
        "matrix waarin elk één eenheid huisvest; de sturing werd losgelaten en de afspraken tussen eenheden werden "
        "onderschat (Korsten & van de Laar 2007). De vier gebruikelijke taakvelden en ICT.",
    ),
    (
        "Boxmeer, Cuijk, Grave, Mill en Sint Hubert and Sint Anthonis agreed on five areas of cooperation but started "
        "slowly (Korsten & van de Laar 2007).",
        "Boxmeer, Cuijk, Grave, Mill en Sint Hubert en Sint Anthonis spraken vijf terreinen van samenwerking af maar "
        "kwamen traag op gang (Korsten & van de Laar 2007).",
    ),
    (
        "Tax cooperation in part of Parkstad Limburg (Landgraaf, Brunssum, Heerlen, Kerkrade), carried by a committed "
        "group of top civil servants (Korsten & van de Laar 2007). One domain: taxes.",
        "Belastingsamenwerking in een deel van Parkstad Limburg (Landgraaf, Brunssum, Heerlen, Kerkrade), gedragen "
        "door een betrokken groep topambtenaren (Korsten & van de Laar 2007). Eén taakveld: belastingen.",
    ),
    (
        "Schagen, Anna Paulowna and Zijpe decided in 2006 to grow into one civil service (the SEtA end state) "
        "(Korsten & van de Laar 2007). Anna Paulowna's population is an estimate. Amalgamation is allowed here as a "
        "comparison.",
        "Schagen, Anna Paulowna en Zijpe besloten in 2006 uit te groeien tot één werkorganisatie (het eindbeeld van "
        "SEtA) (Korsten & van de Laar 2007). Het inwonertal van Anna Paulowna is een schatting. Herindeling is hier "
        "toegestaan, als vergelijking.",
    ),
    (
        "HR, taxes, procurement and enforcement were studied after a joint problem analysis; the effort stopped after "
        "a year (the article, VGS-Nieuws August 2007): nothing pooled.",
        "P&O, belastingen, inkoop en handhaving werden na een gezamenlijke probleemanalyse onderzocht; de poging "
        "stopte na een jaar (het artikel, VGS-Nieuws augustus 2007): niets gebundeld.",
    ),
    (
        "3 of 30 proposals were realised by 2006 (the article); which three is not said, so nothing is counted as "
        "pooled.",
        "3 van 30 voorstellen waren in 2006 gerealiseerd (het artikel); welke drie staat er niet, dus niets telt als "
        "gebundeld.",
    ),
    (
        "A strong joint organisation of the six Drechtsteden, the shared service centre form at scale (the article). "
        "Which domains it carried is not said: hr, taxes, ict and finance in one shared service centre at Dordrecht "
        "(chosen); procurement and legal counted in house.",
        "Een sterke gezamenlijke organisatie van de zes Drechtsteden, de vorm van het shared service centre op schaal "
        "(het artikel). Welke taakvelden ze droeg staat er niet: P&O, belastingen, ICT en financiën in één shared "
        "service centre in Dordrecht (gekozen); inkoop en juridische zaken tellen als eigen organisatie.",
    ),
    (
        "Meijel and Kessel asked centre municipality Helden to take in their civil servants and to develop and carry "
        "out policy for them (the article): a centre municipality for every domain of the scenario.",
        "Meijel en Kessel vroegen centrumgemeente Helden hun ambtenaren over te nemen en voor hen beleid te maken en "
        "uit te voeren (het artikel): een centrumgemeente voor elk taakveld van het scenario.",
    ),
    (
        "A matrix of five units in five municipalities (the article). Which municipality hosts which domain is not "
        "said: the domains of the kempen scenario are assigned one to each member (chosen).",
        "Een matrix van vijf eenheden in vijf gemeenten (het artikel). Welke gemeente welk taakveld huisvest staat er "
        "niet: de taakvelden van het scenario kempen zijn er één per deelnemer toegewezen (gekozen).",
    ),
    (
        "K5: five areas, each coordinated by one of the five municipalities, which hosts its unit (the article). "
        "Which municipality hosts which domain is not said: assigned one to each member (chosen).",
        "K5: vijf terreinen, elk gecoördineerd door een van de vijf gemeenten, die de eenheid huisvest (het artikel). "
        "Welke gemeente welk taakveld huisvest staat er niet: één per deelnemer toegewezen (gekozen).",
    ),
    (
        "The five municipalities agreed on cooperation in five areas and started slowly (the article). The structure "
        "is not said: a working group per domain (slow and informal), hosted by the largest member.",
        "De vijf gemeenten spraken samenwerking op vijf terreinen af en kwamen traag op gang (het artikel). De vorm "
        "staat er niet: een werkgroep per taakveld (traag en informeel), bij de grootste deelnemer.",
    ),
    (
        "A tax cooperation of Landgraaf, Brunssum, Heerlen and Kerkrade carried by a core group of top civil servants "
        "(the article). The structure is not said: a centre municipality at the largest member.",
        "Een belastingsamenwerking van Landgraaf, Brunssum, Heerlen en Kerkrade, gedragen door een kerngroep van "
        "topambtenaren (het artikel). De vorm staat er niet: een centrumgemeente bij de grootste deelnemer.",
    ),
    (
        "Schagen, Anna Paulowna and Zijpe decided in 2006 to grow into one civil service (the SEtA end state): the "
        "decision, counted as the organisation it leads to, hosted by the largest member.",
        "Schagen, Anna Paulowna en Zijpe besloten in 2006 uit te groeien tot één werkorganisatie (het eindbeeld van "
        "SEtA): het besluit, geteld als de organisatie waartoe het leidt, bij de grootste deelnemer.",
    ),
)
TEXTS_NL: Final[dict[str, str]] = dict(_TEXTS)


def described(text: str, lang: str = "en") -> str:
    """A built-in scenario's description or an observed configuration's note in the reader's language
    (whitespace as a YAML block leaves it does not matter)."""
    if lang != "nl":
        return text
    return TEXTS_NL.get(" ".join(text.split()), text)
