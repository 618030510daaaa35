"""The demo as plain data: people, groups, repeating and one-off events.

Nothing here touches the database; `demo.management.commands.seed_demo` walks it through the
services. Each event's detail fields are named as the events services name them
(`events.services._common.DETAIL_FIELDS`), so the command hands them over as they are.
"""

import datetime as dt
from dataclasses import dataclass, field

from core.models import Category
from groups.models import Group

DEMO_PASSWORD = "connect-demo"  # noqa: S105 - printed on purpose; refused unless DEBUG is on
ORGANIZER_EMAIL = "organizer@example.com"
MEMBER_EMAIL = "member@example.com"
STAFF_EMAIL = "staff@example.com"
SEED = 20240607

# (email, display name, show first name only, city)
DEMO_LOGINS = [
    (ORGANIZER_EMAIL, "Rosa Delgado", False, "Leeds"),
    (MEMBER_EMAIL, "Sam Okafor", True, "Leeds"),
    (STAFF_EMAIL, "Jordan Ellis", False, "Manchester"),
]
PEOPLE = [
    ("priya.natarajan@example.com", "Priya Natarajan", False, "Bristol"),
    ("kwame.mensah@example.com", "Kwame Mensah", False, "Sheffield"),
    ("aisha@example.com", "Aisha", False, "Leeds"),
    ("meilin.chen@example.com", "Mei Lin Chen", True, "Manchester"),
    ("tom.brennan@example.com", "Tom Brennan", False, "Leeds"),
    ("hannah.fischer@example.com", "Hannah Fischer", False, "Bristol"),
    ("olu@example.com", "Olu", False, "Manchester"),
    ("grace.oconnell@example.com", "Grace O'Connell", False, "Cardiff"),
    ("dev.patel@example.com", "Dev Patel", False, "Leeds"),
    ("lucia.romero@example.com", "Lucía Romero", True, "Bristol"),
    ("ben.carter@example.com", "Ben Carter", False, "Sheffield"),
    ("fatima.elidrissi@example.com", "Fatima El Idrissi", True, "Leeds"),
    ("niamh.walsh@example.com", "Niamh Walsh", False, "Cardiff"),
    ("jonas.berg@example.com", "Jonas Berg", False, "Manchester"),
    ("yusuf.demir@example.com", "Yusuf Demir", False, "Leeds"),
    ("chloe.martin@example.com", "Chloé Martin", False, "Bristol"),
    ("ravi@example.com", "Ravi", False, "Leeds"),
    ("eleanor.hughes@example.com", "Eleanor Hughes", False, "Sheffield"),
    ("marek.nowak@example.com", "Marek Nowak", False, "Manchester"),
    ("sophie.lambert@example.com", "Sophie Lambert", True, "Cardiff"),
    ("ade.adebayo@example.com", "Ade Adebayo", False, "Leeds"),
    ("isla.macleod@example.com", "Isla MacLeod", False, "Sheffield"),
    ("leon.schwarz@example.com", "Leon Schwarz", False, "Bristol"),
    ("zainab.hussain@example.com", "Zainab Hussain", True, "Leeds"),
    ("charlie.pike@example.com", "Charlie Pike", False, "Manchester"),
    ("maya.goldberg@example.com", "Maya Goldberg", False, "Cardiff"),
    ("tariq@example.com", "Tariq", False, "Leeds"),
    ("ruth.abernethy@example.com", "Ruth Abernethy", False, "Sheffield"),
    ("callum.reid@example.com", "Callum Reid", False, "Manchester"),
    ("ines.duarte@example.com", "Inês Duarte", True, "Bristol"),
    ("pat.kelly@example.com", "Pat Kelly", False, "Leeds"),
    ("noor@example.com", "Noor", False, "Cardiff"),
]

CITIES = {
    "Leeds": (53.8008, -1.5491),
    "Manchester": (53.4808, -2.2426),
    "Bristol": (51.4545, -2.5879),
    "Sheffield": (53.3811, -1.4701),
    "Cardiff": (51.4816, -3.1791),
}
TIMEZONE = "Europe/London"
ONLINE_LINK = "https://meet.connect.example/open-studio-sketch-along"


@dataclass
class DemoGroup:
    key: str
    name: str
    category: str
    city: str
    organizer: str
    description: str
    code_of_conduct: str
    visibility: str = Group.Visibility.PUBLIC
    listed_when_private: bool = False
    join_policy: str = Group.JoinPolicy.OPEN
    join_question: str = ""
    member_list_visibility: str = Group.MemberListVisibility.MEMBERS
    hosts: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    pending: list[tuple[str, str]] = field(default_factory=list)


@dataclass(kw_only=True)
class DemoDetails:
    """What a one-off demo event and a repeating one share. The fields named as in
    `events.services._common.DETAIL_FIELDS` go to the services as they are; the time zone,
    category and map position come from the group (`DERIVED_DETAILS`)."""

    group: str
    title: str
    start: dt.time
    duration: dt.timedelta
    description: str
    venue_name: str = ""
    address: str = ""
    city: str = ""  # blank: the group's city
    online_url: str = ""
    capacity: int | None = None
    guests_allowed: int = 0
    step_free_access: bool = False
    quiet_room: bool = False
    sign_language: bool = False
    accessibility_notes: str = ""
    newcomers_welcome: bool = True
    cost_note: str = ""
    tags: tuple[str, ...] = ()
    # Whether the demo member RSVPs (to the next occurrence, for a series).
    member_going: bool = False


# Detail fields the walk fills in from the group and the demo's zone, not from the data above.
DERIVED_DETAILS = frozenset({"timezone", "category", "latitude", "longitude"})


@dataclass(kw_only=True)
class DemoSeries(DemoDetails):
    rrule: str
    weekday: int  # Monday is 0, as in datetime.weekday()
    # Who goes to every date (a standing RSVP, started through the service), by email.
    regulars: tuple[str, ...] = ()


@dataclass(kw_only=True)
class DemoEvent(DemoDetails):
    days_from_today: int
    # How many members RSVP; more than the capacity fills it and starts a waitlist.
    rsvps: int = 6


CIRCLE = "thursday-evening-circle"
CHOIR = "leeds-community-choir"
GAMES = "meeples-and-mugs"
STUDIO = "open-studio-bristol"
CLEANUP = "harehills-clean-up-crew"
WALKERS = "wednesday-wanderers"
SUPPER = "shared-table-cardiff"

GROUPS = [
    DemoGroup(
        key=CIRCLE,
        name="Thursday Evening Circle",
        category=Category.SUPPORT,
        city="Leeds",
        organizer=ORGANIZER_EMAIL,
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        join_policy=Group.JoinPolicy.APPROVAL,
        join_question=(
            "What would you like us to know before your first circle? A sentence is plenty."
        ),
        member_list_visibility=Group.MemberListVisibility.ORGANIZERS,
        description=(
            "A small **peer support circle** for people living with anxiety or low mood. "
            "We meet every Thursday evening in a quiet room with tea and biscuits.\n\n"
            "### What to expect\n\n"
            "- A check-in round: share as much or as little as you like, or just listen.\n"
            "- One topic a week, chosen together (sleep, work, family, getting outside).\n"
            "- No advice unless someone asks for it.\n\n"
            "Facilitators are volunteers with lived experience, not clinicians. "
            "If you are in crisis, please call your local emergency number."
        ),
        code_of_conduct=(
            "1. **What is said in the circle stays in the circle.**\n"
            "2. Speak from your own experience; use “I”, not “you should”.\n"
            "3. Nobody has to speak. Passing is always fine.\n"
            "4. No diagnosis, no selling, no recruiting.\n"
            "5. Phones on silent. Leave and come back whenever you need to."
        ),
        members=[
            MEMBER_EMAIL,
            "aisha@example.com",
            "tom.brennan@example.com",
            "fatima.elidrissi@example.com",
            "yusuf.demir@example.com",
            "ravi@example.com",
            "zainab.hussain@example.com",
        ],
        hosts=["aisha@example.com"],
        pending=[
            ("pat.kelly@example.com", "I moved to Leeds in spring and have been struggling a bit."),
            ("ade.adebayo@example.com", "A friend from the choir said the circle helped her."),
        ],
    ),
    DemoGroup(
        key=CHOIR,
        name="Leeds Community Choir",
        category=Category.MUSIC,
        city="Leeds",
        organizer=ORGANIZER_EMAIL,
        description=(
            "A **no-audition choir** for anyone who likes to sing, whether or not you read music. "
            "We learn songs by ear: folk, gospel, pop and the occasional sea shanty.\n\n"
            "Rehearsals are on Tuesday evenings. Come to two before deciding: "
            "the first one is always a bit bewildering, the second one is fun.\n\n"
            "*Suggested donation £3 a week; nobody is turned away.*"
        ),
        code_of_conduct=(
            "- Everyone's voice is welcome; nobody is singled out to sing alone.\n"
            "- Be kind about mistakes, including your own.\n"
            "- Tell a leader quietly if something makes you uncomfortable."
        ),
        hosts=["dev.patel@example.com"],
        members=[
            MEMBER_EMAIL,
            "aisha@example.com",
            "tom.brennan@example.com",
            "dev.patel@example.com",
            "fatima.elidrissi@example.com",
            "yusuf.demir@example.com",
            "ravi@example.com",
            "ade.adebayo@example.com",
            "zainab.hussain@example.com",
            "tariq@example.com",
            "pat.kelly@example.com",
            "niamh.walsh@example.com",
        ],
    ),
    DemoGroup(
        key=GAMES,
        name="Meeples & Mugs: Board-Game Night",
        category=Category.GAMES,
        city="Manchester",
        organizer=ORGANIZER_EMAIL,
        description=(
            "Friday board games in a café in the Northern Quarter. We bring a shelf of games, "
            "from quick party games to a long strategy game in the corner.\n\n"
            "New to board games? Sit at the **teaching table** and someone will explain the "
            "rules while you play. Coming alone is normal: most people do."
        ),
        code_of_conduct=(
            "- Teach, don't lecture. Let new players make their own moves.\n"
            "- Look after the games: no drinks on the boards.\n"
            "- Harassment of any kind means you leave and are not invited back."
        ),
        hosts=["meilin.chen@example.com"],
        members=[
            MEMBER_EMAIL,
            "meilin.chen@example.com",
            "olu@example.com",
            "jonas.berg@example.com",
            "marek.nowak@example.com",
            "charlie.pike@example.com",
            "callum.reid@example.com",
            "tom.brennan@example.com",
        ],
    ),
    DemoGroup(
        key=STUDIO,
        name="Open Studio Art Workshop",
        category=Category.ARTS,
        city="Bristol",
        organizer="priya.natarajan@example.com",
        description=(
            "Hands-on art sessions for adults of every level: drawing, printmaking, clay and "
            "collage. **All materials are provided.**\n\n"
            "Sessions are small so tutors can help everyone. Places are limited; if a session "
            "is full, join the waitlist and you will get a seat as soon as one frees up."
        ),
        code_of_conduct=(
            "- There is no wrong way to make art here.\n"
            "- Ask before photographing other people's work.\n"
            "- Clean your space before you leave."
        ),
        hosts=[ORGANIZER_EMAIL],
        members=[
            MEMBER_EMAIL,
            "hannah.fischer@example.com",
            "lucia.romero@example.com",
            "chloe.martin@example.com",
            "leon.schwarz@example.com",
            "ines.duarte@example.com",
            "grace.oconnell@example.com",
            "maya.goldberg@example.com",
            "noor@example.com",
            "isla.macleod@example.com",
            "eleanor.hughes@example.com",
            "olu@example.com",
            "sophie.lambert@example.com",
            "ruth.abernethy@example.com",
        ],
    ),
    DemoGroup(
        key=CLEANUP,
        name="Harehills Clean-up Crew",
        category=Category.NEIGHBOURHOOD,
        city="Leeds",
        organizer=ORGANIZER_EMAIL,
        description=(
            "Once a month we pick litter, clear overgrown paths and plant bulbs around "
            "Harehills and Banstead Park. Gloves, pickers and bags are provided by the council's "
            "community team.\n\n"
            "Bring a water bottle and sturdy shoes. **Under-16s welcome with an adult.** "
            "We finish with tea at the community centre."
        ),
        code_of_conduct=(
            "- Safety first: no sharps by hand; call a crew leader.\n"
            "- Respect residents and their property.\n"
            "- Take breaks whenever you need them."
        ),
        hosts=["tariq@example.com"],
        members=[
            "tariq@example.com",
            "yusuf.demir@example.com",
            "ade.adebayo@example.com",
            "pat.kelly@example.com",
            "dev.patel@example.com",
            "aisha@example.com",
            "zainab.hussain@example.com",
        ],
    ),
    DemoGroup(
        key=WALKERS,
        name="Wednesday Wanderers",
        category=Category.OUTDOORS,
        city="Sheffield",
        organizer="kwame.mensah@example.com",
        description=(
            "Gentle **5 to 8 km walks** around Sheffield's parks and the edge of the Peak "
            "District, every Wednesday morning. We walk at the pace of the slowest walker "
            "and always stop for a coffee.\n\n"
            "Routes are posted a week ahead with the terrain, so you can choose the ones "
            "that suit you."
        ),
        code_of_conduct=(
            "- Nobody gets left behind: a back marker walks at the end.\n"
            "- Dogs on leads near livestock.\n"
            "- Leave no trace."
        ),
        hosts=["isla.macleod@example.com"],
        members=[
            ORGANIZER_EMAIL,
            MEMBER_EMAIL,
            "isla.macleod@example.com",
            "ben.carter@example.com",
            "eleanor.hughes@example.com",
            "ruth.abernethy@example.com",
            "hannah.fischer@example.com",
        ],
    ),
    DemoGroup(
        key=SUPPER,
        name="Shared Table Suppers",
        category=Category.FOOD,
        city="Cardiff",
        organizer=ORGANIZER_EMAIL,
        description=(
            "A monthly community supper in Splott: we cook together in the church kitchen "
            "and eat at one long table. **Pay what you can**; leftovers go home with whoever "
            "wants them.\n\n"
            "Tell us about allergies when you RSVP and we will label every dish."
        ),
        code_of_conduct=(
            "- Everyone eats, whatever they paid.\n"
            "- Wash your hands before cooking; ask before serving others.\n"
            "- Be patient with the kitchen crew: they are volunteers too."
        ),
        members=[
            "grace.oconnell@example.com",
            "niamh.walsh@example.com",
            "sophie.lambert@example.com",
            "maya.goldberg@example.com",
            "noor@example.com",
            MEMBER_EMAIL,
        ],
    ),
]

SERIES = [
    DemoSeries(
        group=CIRCLE,
        title="Thursday circle",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        weekday=3,
        start=dt.time(18, 30),
        duration=dt.timedelta(minutes=90),
        venue_name="Chapeltown Wellbeing Centre, Room 2",
        address="14 Reginald Terrace, Leeds LS7 3EZ",
        description=(
            "Our weekly circle. Arrive from 18:15 for tea; we start the check-in round at 18:30."
        ),
        capacity=12,
        step_free_access=True,
        quiet_room=True,
        accessibility_notes="Ground-floor room; accessible toilet next door.",
        cost_note="Free",
        tags=("peer support", "mental health"),
        member_going=True,
    ),
    DemoSeries(
        group=CHOIR,
        title="Choir rehearsal",
        rrule="FREQ=WEEKLY;BYDAY=TU",
        weekday=1,
        start=dt.time(19, 0),
        duration=dt.timedelta(hours=2),
        venue_name="St Aidan's Church Hall",
        address="Roundhay Road, Leeds LS8 5QD",
        description=(
            "Warm-ups, then two songs in parts. Lyrics sheets are handed out; "
            "recordings of each part go to members after the rehearsal."
        ),
        step_free_access=True,
        sign_language=True,
        accessibility_notes="A BSL interpreter joins the first rehearsal of each month.",
        cost_note="Suggested donation £3",
        tags=("singing",),
        member_going=True,
        regulars=(MEMBER_EMAIL,),
    ),
    DemoSeries(
        group=GAMES,
        title="Friday board-game night",
        rrule="FREQ=WEEKLY;BYDAY=FR",
        weekday=4,
        start=dt.time(18, 30),
        duration=dt.timedelta(hours=3, minutes=30),
        venue_name="The Counter Café",
        address="42 Oldham Street, Manchester M1 1JN",
        description="Games from 18:30. The teaching table runs until 20:00.",
        capacity=30,
        guests_allowed=1,
        cost_note="£2 towards the games library",
        tags=("board games",),
    ),
    DemoSeries(
        group=WALKERS,
        title="Wednesday morning walk",
        rrule="FREQ=WEEKLY;BYDAY=WE",
        weekday=2,
        start=dt.time(10, 0),
        duration=dt.timedelta(hours=2, minutes=30),
        venue_name="Meet at the Botanical Gardens main gate",
        address="Clarkehouse Road, Sheffield S10 2LN",
        description=(
            "About 6 km on paths and quiet lanes, with one gentle hill. "
            "Coffee afterwards for anyone who wants it."
        ),
        guests_allowed=2,
        accessibility_notes="Some unpaved paths; not suitable for wheelchairs.",
        cost_note="Free",
        tags=("walking", "outdoors"),
    ),
]

EVENTS = [
    # Upcoming one-off events.
    DemoEvent(
        group=STUDIO,
        title="Clay hand-building taster",
        days_from_today=9,
        start=dt.time(14, 0),
        duration=dt.timedelta(hours=3),
        venue_name="Open Studio, Unit 4",
        address="Spike Island, 133 Cumberland Road, Bristol BS1 6UX",
        description=(
            "Make a pinch pot and a coil vase. We fire them for you; collect them two weeks "
            "later. Aprons provided.\n\n**Only eight wheels and tables**, so places are limited."
        ),
        capacity=8,
        step_free_access=True,
        accessibility_notes="Lift to the first floor; seated work throughout.",
        cost_note="£12, or free for people on benefits",
        tags=("clay", "workshop"),
        rsvps=11,
        member_going=True,
    ),
    DemoEvent(
        group=STUDIO,
        title="Online sketch-along: drawing hands",
        days_from_today=5,
        start=dt.time(19, 30),
        duration=dt.timedelta(hours=1),
        online_url=ONLINE_LINK,
        description=(
            "Pencil and paper is enough. Cameras optional. We draw together for an hour, "
            "then share (if you like)."
        ),
        cost_note="Free",
        tags=("drawing", "online"),
        rsvps=9,
        member_going=True,
    ),
    DemoEvent(
        group=STUDIO,
        title="Linocut printing for beginners",
        days_from_today=23,
        start=dt.time(10, 30),
        duration=dt.timedelta(hours=4),
        venue_name="Open Studio, Unit 4",
        address="Spike Island, 133 Cumberland Road, Bristol BS1 6UX",
        description="Carve a small block and print a run of cards to take home.",
        capacity=10,
        step_free_access=True,
        quiet_room=True,
        cost_note="£15",
        tags=("printmaking", "workshop"),
        rsvps=4,
    ),
    DemoEvent(
        group=CHOIR,
        title="Choir concert: songs from around the world",
        days_from_today=18,
        start=dt.time(15, 0),
        duration=dt.timedelta(hours=2),
        venue_name="Chapel Allerton Methodist Church",
        address="Town Street, Leeds LS7 4NB",
        description=(
            "Our concert for friends, family and neighbours, with tea and cake in the interval. "
            "Singers meet at 14:15 for a warm-up."
        ),
        guests_allowed=3,
        step_free_access=True,
        sign_language=True,
        cost_note="Free",
        tags=("singing", "concert"),
        rsvps=10,
        member_going=True,
    ),
    DemoEvent(
        group=CLEANUP,
        title="Banstead Park litter pick",
        days_from_today=10,
        start=dt.time(10, 0),
        duration=dt.timedelta(hours=3),
        venue_name="Banstead Park, Harehills Lane entrance",
        address="Harehills Lane, Leeds LS8 4DR",
        description="Litter picking and path clearing. Tea and toast afterwards.",
        capacity=25,
        guests_allowed=2,
        accessibility_notes="Uneven ground; seated tasks (sorting, tea) available.",
        cost_note="Free",
        tags=("litter pick", "volunteering"),
        rsvps=6,
    ),
    DemoEvent(
        group=CLEANUP,
        title="Planting day on Compton Road",
        days_from_today=38,
        start=dt.time(10, 0),
        duration=dt.timedelta(hours=2, minutes=30),
        venue_name="Compton Centre",
        address="Harehills Lane, Leeds LS9 7BG",
        description="Herb planters and a new bench outside the library. Tools provided.",
        capacity=15,
        step_free_access=True,
        cost_note="Free",
        tags=("gardening", "volunteering"),
        rsvps=3,
    ),
    DemoEvent(
        group=SUPPER,
        title="Shared Table supper: soup and bread",
        days_from_today=12,
        start=dt.time(18, 0),
        duration=dt.timedelta(hours=3),
        venue_name="St Saviour's Church kitchen",
        address="Splott Road, Cardiff CF24 2BZ",
        description=(
            "Vegetable soup, bread from the bakery next door, and a sponge pudding. "
            "Cooking starts at 18:00; we eat around 19:30."
        ),
        capacity=24,
        guests_allowed=1,
        step_free_access=True,
        accessibility_notes="Vegan and gluten-free dishes labelled.",
        cost_note="Pay what you can",
        tags=("food",),
        rsvps=5,
        member_going=True,
    ),
    DemoEvent(
        group=GAMES,
        title="Board-game marathon: Saturday special",
        days_from_today=15,
        start=dt.time(12, 0),
        duration=dt.timedelta(hours=8),
        venue_name="The Counter Café",
        address="42 Oldham Street, Manchester M1 1JN",
        description="A whole afternoon and evening of long games. Drop in whenever.",
        capacity=40,
        guests_allowed=1,
        quiet_room=True,
        cost_note="£3",
        tags=("board games",),
        rsvps=6,
    ),
    DemoEvent(
        group=WALKERS,
        title="Stanage Edge day walk",
        days_from_today=25,
        start=dt.time(9, 30),
        duration=dt.timedelta(hours=6),
        venue_name="Hathersage railway station",
        address="Station Approach, Hathersage S32 1DD",
        description=(
            "A longer walk (14 km) along Stanage Edge. Bring lunch and waterproofs. "
            "**Not for beginners**: try a Wednesday walk first."
        ),
        capacity=16,
        newcomers_welcome=False,
        accessibility_notes="Steep, rocky sections.",
        cost_note="Free (train fare your own)",
        tags=("walking", "outdoors"),
        rsvps=5,
    ),
    # Past events: the record of what happened.
    DemoEvent(
        group=CLEANUP,
        title="Big clean-up on Harehills Lane",
        days_from_today=-24,
        start=dt.time(10, 0),
        duration=dt.timedelta(hours=3),
        venue_name="Harehills Lane shops",
        address="Harehills Lane, Leeds LS8 5DR",
        description="Forty-two bags collected. Thank you, everyone!",
        capacity=25,
        cost_note="Free",
        tags=("litter pick", "volunteering"),
        rsvps=6,
    ),
    DemoEvent(
        group=STUDIO,
        title="Collage and zine afternoon",
        days_from_today=-12,
        start=dt.time(14, 0),
        duration=dt.timedelta(hours=3),
        venue_name="Open Studio, Unit 4",
        address="Spike Island, 133 Cumberland Road, Bristol BS1 6UX",
        description="Magazines, glue and a photocopier. Everyone left with a zine.",
        capacity=12,
        step_free_access=True,
        cost_note="£5",
        tags=("collage", "workshop"),
        rsvps=7,
        member_going=True,
    ),
    DemoEvent(
        group=SUPPER,
        title="Shared Table supper: dal night",
        days_from_today=-19,
        start=dt.time(18, 0),
        duration=dt.timedelta(hours=3),
        venue_name="St Saviour's Church kitchen",
        address="Splott Road, Cardiff CF24 2BZ",
        description="A big pot of dal, rice, chutneys and a fruit crumble.",
        capacity=24,
        step_free_access=True,
        cost_note="Pay what you can",
        tags=("food",),
        rsvps=5,
    ),
    DemoEvent(
        group=CHOIR,
        title="Choir social and open mic",
        days_from_today=-6,
        start=dt.time(19, 30),
        duration=dt.timedelta(hours=3),
        venue_name="The Fox and Newt",
        address="Burley Street, Leeds LS3 1LD",
        description="No rehearsal this week: songs, solos for the brave, and chips.",
        guests_allowed=2,
        cost_note="Free",
        tags=("singing", "social"),
        rsvps=8,
        member_going=True,
    ),
]


@dataclass(frozen=True)
class DemoPartner:
    """A partner organization of the API and the demo groups it owns."""

    slug: str
    name: str
    website: str
    groups: tuple[str, ...]


# demo-partner owns a public group with events; other-partner a private circle, so that the
# API's tenant isolation can be tried by hand with a key of each (`manage.py partner_key`).
PARTNERS = [
    DemoPartner(
        slug="demo-partner",
        name="Leeds Arts Partnership (demo)",
        website="https://partner.example",
        groups=(CHOIR,),
    ),
    DemoPartner(
        slug="other-partner",
        name="Wellbeing Trust (demo)",
        website="https://other-partner.example",
        groups=(CIRCLE,),
    ),
]


@dataclass(kw_only=True)
class DemoRole:
    name: str
    description: str
    skills: str
    weekday: int  # Monday is 0
    start: dt.time
    duration: dt.timedelta
    capacity: int
    # Volunteers on the next shift; more than the capacity fills it and starts a waitlist.
    signups: int = 0
    member_signs_up: bool = False


@dataclass(kw_only=True)
class DemoProject:
    group: str
    title: str
    cause: str
    description: str
    venue_name: str
    address: str
    skills: str
    minimum_age: int | None
    waiver_text: str
    roles: list[DemoRole]
    volunteers: list[str]


PROJECTS = [
    DemoProject(
        group=SUPPER,
        title="Splott Community Food Bank",
        cause="food",
        description=(
            "We collect, sort and hand out **food parcels** to about 80 households a week, "
            "with a hot drink and a chat for everyone who comes.\n\n"
            "New volunteers shadow someone experienced on their first shift."
        ),
        venue_name="St Saviour's Church hall",
        address="Splott Road, Cardiff CF24 2BZ",
        skills="driving, cooking, welcoming people",
        minimum_age=16,
        waiver_text=(
            "I will follow the food bank's food safety and lifting guidance, treat everyone "
            "who comes with respect, and keep what I learn about visitors to myself."
        ),
        roles=[
            DemoRole(
                name="Driver",
                description="Collect donations from supermarkets in the food bank's van.",
                skills="driving licence",
                weekday=5,
                start=dt.time(9, 0),
                duration=dt.timedelta(hours=3),
                capacity=2,
                signups=4,
            ),
            DemoRole(
                name="Kitchen",
                description="Sort donations and pack parcels; make the tea.",
                skills="cooking",
                weekday=5,
                start=dt.time(10, 0),
                duration=dt.timedelta(hours=4),
                capacity=6,
                signups=2,
                member_signs_up=True,
            ),
            DemoRole(
                name="Greeter",
                description="Welcome visitors at the door and help them find what they need.",
                skills="welcoming people",
                weekday=2,
                start=dt.time(17, 0),
                duration=dt.timedelta(hours=2),
                capacity=3,
                signups=1,
            ),
        ],
        volunteers=[
            "grace.oconnell@example.com",
            "niamh.walsh@example.com",
            "sophie.lambert@example.com",
            "maya.goldberg@example.com",
            "noor@example.com",
        ],
    ),
    # The choir belongs to demo-partner, so its API keys see a volunteer project of their own.
    DemoProject(
        group=CHOIR,
        title="Winter concert stewards",
        cause="arts",
        description=(
            "Help the choir's winter concert run smoothly: greet the audience, show people to "
            "their seats and keep the step-free entrance clear."
        ),
        venue_name="Leeds Central Library",
        address="Calverley Street, Leeds LS1 3AB",
        skills="welcoming people",
        minimum_age=None,
        waiver_text="",
        roles=[
            DemoRole(
                name="Steward",
                description="Welcome the audience and help them find a seat.",
                skills="welcoming people",
                weekday=5,
                start=dt.time(18, 0),
                duration=dt.timedelta(hours=3),
                capacity=4,
                signups=1,
            ),
        ],
        volunteers=["grace.oconnell@example.com"],
    ),
]


# Hours that count: past work on the food bank, logged by its volunteers and (most of it)
# verified by the group's organizer; the member gets a statement to download and check.
@dataclass(frozen=True, kw_only=True)
class DemoHours:
    volunteer: str  # email
    days_ago: int
    minutes: int
    description: str
    verified: bool = True


HOURS_PROJECT = "Splott Community Food Bank"
HOURS = [
    DemoHours(volunteer=MEMBER_EMAIL, days_ago=49, minutes=240, description="Packed parcels"),
    DemoHours(volunteer=MEMBER_EMAIL, days_ago=35, minutes=240, description="Sorted donations"),
    DemoHours(volunteer=MEMBER_EMAIL, days_ago=21, minutes=210, description="Kitchen and tea"),
    DemoHours(
        volunteer=MEMBER_EMAIL,
        days_ago=7,
        minutes=240,
        description="Packed parcels",
        verified=False,
    ),
    DemoHours(
        volunteer="grace.oconnell@example.com",
        days_ago=28,
        minutes=180,
        description="Supermarket collection run",
    ),
    DemoHours(
        volunteer="niamh.walsh@example.com",
        days_ago=14,
        minutes=180,
        description="Supermarket collection run",
        verified=False,
    ),
]
HOURS_STATEMENT_DAYS = 90  # the member's statement covers the last 90 days

# A stock-take shift that starts soon after seeding, so the organizer's workspace shows a shift
# with check-ins (and their hours waiting for verification): who signs up, and who of them the
# organizer has already checked in. Made once (found again by its notes).
CHECK_IN_SHIFT = {
    "project": HOURS_PROJECT,
    "role": "Kitchen",
    "starts_in": dt.timedelta(minutes=30),
    "duration": dt.timedelta(hours=2),
    "capacity": 6,
    "notes": "Stock-take before the winter appeal: count tins, check dates.",
    "volunteers": [
        "grace.oconnell@example.com",
        "niamh.walsh@example.com",
        "sophie.lambert@example.com",
        MEMBER_EMAIL,
    ],
    "checked_in": ["grace.oconnell@example.com", "niamh.walsh@example.com"],
}


# A care calendar in the circle: meals and rides for a member home after an operation. Slots are
# (kind, what, days from today, start, minutes, helpers needed, who took it or None); the meal
# slots repeat weekly on the given days.
CARE_CALENDAR = {
    "group": CIRCLE,
    "opener": ORGANIZER_EMAIL,
    "title": "Meals and rides for Tom",
    "recipient_name": "Tom",
    "about": "Tom is home after knee surgery and can't drive for six weeks. A hot meal or a "
    "lift to physio makes a real difference. Thank you!",
    "help_needed": ["meal", "ride"],
    "dietary_notes": "Vegetarian; no mushrooms.",
    "access_notes": "Ground-floor flat, ring and wait a minute.",
    "address": "22 Hyde Park Road, Leeds LS6 1AB",
    "private_notes": "Key safe code 1987 if Tom doesn't answer.",
    "helper_weekly_limit": (MEMBER_EMAIL, 2),
    "meal_days": "MO,TH",
    "meal_start": dt.time(18, 0),
    "slots": [
        ("ride", "Lift to physio at St James's", 1, dt.time(9, 30), 90, 1, MEMBER_EMAIL),
        ("ride", "Lift to physio at St James's", 4, dt.time(9, 30), 90, 1, None),
        ("errand", "Pick up a prescription", 2, dt.time(12, 0), 60, 1, "aisha@example.com"),
        ("visit", "Tea and a catch-up", 3, dt.time(15, 0), 60, 2, "ravi@example.com"),
    ],
    "meal_takers": ["fatima.elidrissi@example.com", "yusuf.demir@example.com"],
}
