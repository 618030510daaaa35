"""Demo data a newcomer can click through: groups, people, events, RSVPs and three logins.

Everything is written through the groups and events services, so seats, waitlists, memberships
and reminders are exactly what the site itself would have produced. Running it again adds only
what is missing; dates are relative to today, and a fixed random seed picks who RSVPs.
"""

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.capacity import seats_take
from core.models import Category
from events import services as event_services
from events.models import Event, EventSeries, Rsvp
from groups import services as group_services
from groups.models import Group, Membership
from notifications.models import Channel
from notifications.services import notification_preferences_get, notification_preferences_set

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
    """What a one-off demo event and a repeating one share."""

    group: str
    title: str
    start: dt.time
    duration: dt.timedelta
    description: str
    venue_name: str = ""
    address: str = ""
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

    def detail_fields(self, group: Group) -> dict:
        """The service's fields for these details; an online event has no map position."""
        return {
            "title": self.title,
            "description": self.description,
            "timezone": TIMEZONE,
            "venue_name": self.venue_name,
            "address": self.address,
            "latitude": None if self.online_url else group.latitude,
            "longitude": None if self.online_url else group.longitude,
            "online_url": self.online_url,
            "capacity": self.capacity,
            "guests_allowed": self.guests_allowed,
            "category": group.category,
            "step_free_access": self.step_free_access,
            "quiet_room": self.quiet_room,
            "sign_language": self.sign_language,
            "accessibility_notes": self.accessibility_notes,
            "newcomers_welcome": self.newcomers_welcome,
            "cost_note": self.cost_note,
        }


@dataclass(kw_only=True)
class DemoSeries(DemoDetails):
    rrule: str
    weekday: int  # Monday is 0, as in datetime.weekday()


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


def local_datetime(*, days_from_today: int, at: dt.time, tz: str, now: dt.datetime) -> dt.datetime:
    """An aware datetime `days_from_today` days from today's date in `tz`, at the local time."""
    zone = zoneinfo.ZoneInfo(tz)
    day = now.astimezone(zone).date() + dt.timedelta(days=days_from_today)
    return dt.datetime.combine(day, at, tzinfo=zone)


def next_weekday(*, weekday: int, at: dt.time, tz: str, now: dt.datetime) -> dt.datetime:
    """The next local `weekday` at `at` that is still ahead of `now`."""
    today = now.astimezone(zoneinfo.ZoneInfo(tz)).date()
    days = (weekday - today.weekday()) % 7
    candidate = local_datetime(days_from_today=days, at=at, tz=tz, now=now)
    if candidate <= now:
        candidate = local_datetime(days_from_today=days + 7, at=at, tz=tz, now=now)
    return candidate


class Command(BaseCommand):
    help = (
        "Load demo groups, people, events and RSVPs, and print the demo logins. "
        "Safe to run again: only what is missing is added. Runs only with DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password and runs only with "
                "DEBUG on; pass --force to run it anyway."
            )
        self.now = timezone.now()
        self.rng = random.Random(SEED)
        self.created = {
            "users": 0,
            "groups": 0,
            "memberships": 0,
            "series": 0,
            "events": 0,
            "rsvps": 0,
        }
        with transaction.atomic():
            self.users = self.seed_users()
            groups = {spec.key: self.seed_group(spec) for spec in GROUPS}
        for spec in SERIES:
            with transaction.atomic():
                self.seed_series(spec, groups[spec.group])
        for spec in EVENTS:
            with transaction.atomic():
                self.seed_event(spec, groups[spec.group])
        self.report()

    # People ---------------------------------------------------------------------------------

    def seed_users(self) -> dict[str, User]:
        from allauth.account.models import EmailAddress

        users = {}
        for index, (email, name, first_only, city) in enumerate(DEMO_LOGINS + PEOPLE):
            user = User.objects.filter(email=email).first()
            if user is None:
                latitude, longitude = CITIES[city]
                user = User(
                    email=email,
                    display_name=name,
                    show_first_name_only=first_only,
                    city=city,
                    latitude=latitude,
                    longitude=longitude,
                    timezone=TIMEZONE,
                    is_staff=email == STAFF_EMAIL,
                    is_superuser=email == STAFF_EMAIL,
                )
                is_login = index < len(DEMO_LOGINS)
                if is_login:
                    user.set_password(DEMO_PASSWORD)
                else:
                    # Only the three demo logins can sign in; the others fill the rooms.
                    user.set_unusable_password()
                user.full_clean()
                user.save()
                if not is_login:
                    self.inbox_only(user)
                self.created["users"] += 1
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            users[email] = user
        return users

    def inbox_only(self, user: User) -> None:
        """The invented people read their notices on the site, so the first `make run` does
        not print hundreds of RSVP confirmations for them to the console."""
        choices = {
            (kind, channel): False
            for kind, channel in notification_preferences_get(user=user)
            if channel == Channel.EMAIL
        }
        notification_preferences_set(user=user, choices=choices)

    # Groups and memberships -----------------------------------------------------------------

    def seed_group(self, spec: DemoGroup) -> Group:
        organizer = self.users[spec.organizer]
        # The service makes the web address from the name, so the name is the demo's key.
        group = Group.objects.filter(name=spec.name).first()
        if group is None:
            latitude, longitude = CITIES[spec.city]
            group = group_services.group_create(
                actor=organizer,
                name=spec.name,
                description=spec.description,
                category=spec.category,
                city=spec.city,
                latitude=latitude,
                longitude=longitude,
                visibility=spec.visibility,
                listed_when_private=spec.listed_when_private,
                join_policy=spec.join_policy,
                join_question=spec.join_question,
                member_list_visibility=spec.member_list_visibility,
                code_of_conduct=spec.code_of_conduct,
            )
            self.created["groups"] += 1
        answer = "Happy to be here." if spec.join_question else ""
        for email in dict.fromkeys(spec.members + spec.hosts):
            membership = self.join(group, email, answer=answer)
            if membership.status == Membership.Status.PENDING:
                group_services.membership_approve(membership=membership, actor=organizer)
        for email in spec.hosts:
            membership = Membership.objects.get(group=group, user=self.users[email])
            if membership.role == Membership.Role.MEMBER:
                group_services.membership_set_role(
                    membership=membership, actor=organizer, role=Membership.Role.HOST
                )
        for email, pending_answer in spec.pending:
            self.join(group, email, answer=pending_answer)
        return group

    def join(self, group: Group, email: str, *, answer: str) -> Membership:
        user = self.users[email]
        membership = Membership.objects.filter(group=group, user=user).first()
        if membership is None:
            membership = group_services.membership_join(group=group, actor=user, answer=answer)
            self.created["memberships"] += 1
        return membership

    def members_of(self, group: Group) -> list[User]:
        return [
            m.user
            for m in group.memberships.filter(status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user__email")
        ]

    # Events ---------------------------------------------------------------------------------

    def seed_series(self, spec: DemoSeries, group: Group) -> None:
        series = EventSeries.objects.filter(group=group, title=spec.title).first()
        if series is not None:
            return
        first = next_weekday(weekday=spec.weekday, at=spec.start, tz=TIMEZONE, now=self.now)
        series = event_services.event_series_create(
            group=group,
            actor=self.organizer_of(group),
            rrule=spec.rrule,
            first_starts_at=first,
            duration=spec.duration,
            tags=spec.tags,
            **spec.detail_fields(group),
        )
        self.created["series"] += 1
        occurrences = list(series.occurrences.order_by("starts_at"))
        self.created["events"] += len(occurrences)
        # RSVPs on the next four occurrences, fewer the further away they are.
        members = self.members_of(group)
        for weeks_ahead, event in enumerate(occurrences[:4]):
            count = max(len(members) - 2 * weeks_ahead, 1)
            self.rsvp_some(
                event, members, count=count, member_going=spec.member_going and weeks_ahead == 0
            )

    def seed_event(self, spec: DemoEvent, group: Group) -> None:
        if Event.objects.filter(group=group, title=spec.title, series__isnull=True).exists():
            return
        starts_at = local_datetime(
            days_from_today=spec.days_from_today, at=spec.start, tz=TIMEZONE, now=self.now
        )
        event = event_services.event_create(
            group=group,
            actor=self.organizer_of(group),
            tags=spec.tags,
            **spec.detail_fields(group),
            starts_at=starts_at,
            ends_at=starts_at + spec.duration,
        )
        self.created["events"] += 1
        self.rsvp_some(
            event, self.members_of(group), count=spec.rsvps, member_going=spec.member_going
        )

    def rsvp_some(
        self, event: Event, members: list[User], *, count: int, member_going: bool
    ) -> None:
        """RSVP `count` members, picked with the fixed seed (the demo member first, if going)."""
        member = [u for u in members if u.email == MEMBER_EMAIL][:1] if member_going else []
        others = [u for u in members if u.email != MEMBER_EMAIL]
        people = member + self.rng.sample(others, k=min(count, len(others)))
        for user in people[:count]:
            if Rsvp.objects.filter(event=event, user=user).exists():
                continue
            guests = 1 if event.guests_allowed and self.rng.random() < 0.25 else 0
            if event.ends_at <= self.now:
                if not self.record_attendance(event, user):
                    continue
            else:
                event_services.rsvp_create(event=event, user=user, guests=guests)
            self.created["rsvps"] += 1

    def record_attendance(self, event: Event, user: User) -> bool:
        """History for a past event. The RSVP service rightly refuses events that have ended, so
        the demo writes what it would have written then: a seat taken and a check-in."""
        if not seats_take(model=Event, pk=event.pk, seats=1):
            return False
        rsvp = Rsvp(
            event=event,
            user=user,
            status=Rsvp.Status.GOING,
            checked_in_at=event.starts_at + dt.timedelta(minutes=self.rng.randint(0, 20)),
        )
        rsvp.full_clean()
        rsvp.save()
        return True

    def organizer_of(self, group: Group) -> User:
        return (
            group.memberships.filter(
                role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
            )
            .select_related("user")
            .earliest("created_at")
            .user
        )

    # Output ---------------------------------------------------------------------------------

    def report(self) -> None:
        added = ", ".join(f"{n} {what}" for what, n in self.created.items())
        self.stdout.write(f"Demo data ready (added now: {added}).")
        self.stdout.write(
            f"{Group.objects.count()} groups, {User.objects.count()} people, "
            f"{Event.objects.count()} events, "
            f"{Rsvp.objects.count()} RSVPs in the database."
        )
        self.stdout.write("")
        login_url = settings.SITE_URL + reverse("account_login")
        self.stdout.write(
            self.style.SUCCESS(f"Demo logins at {login_url} (password: {DEMO_PASSWORD})")
        )
        self.stdout.write(f"  {ORGANIZER_EMAIL:<24} organizes most groups")
        self.stdout.write(f"  {MEMBER_EMAIL:<24} member of several, including a private circle")
        self.stdout.write(f"  {STAFF_EMAIL:<24} staff and superuser (/admin/)")
