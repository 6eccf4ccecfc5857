"""A human-coded set of open answers made for measuring meaning (issue 42 #4): eight themes, each said
25 ways that share few words with one another, each answer one theme's sentence and one unrelated
remark. The theme is the answer's code, as a coder would give it; 8 x 25 x 5 = 1,000 answers.

Written by hand for this project (no licence question); `answers()` is deterministic.
"""
import random

THEMES = {
    "Cost": ("The price is too high or not worth the money", [
        "The price is too high.", "It costs a fortune.", "Far too expensive for what you get.",
        "I can barely afford it any more.", "Way overpriced compared with last year.",
        "The subscription eats a big chunk of my budget.", "Paying this much feels like robbery.",
        "Cheaper alternatives do the same job.", "The fees keep creeping up.", "My wallet hurts every month.",
        "It is not good value for money.", "We were charged more than we were quoted.",
        "The bill was a shock.", "Costs have doubled since we signed up.", "Hard to justify the expense.",
        "A smaller team simply cannot pay that.", "The licence is absurdly dear.",
        "I would stay if it were more affordable.", "Budget approval gets harder every renewal.",
        "Too pricey for a charity like ours.", "The extra charges add up quickly.",
        "For that amount I expect much more.", "We are cutting back because of the cost.",
        "Pricing is steep.", "It drains our funds."]),
    "Staffing": ("Too few people to do the work", [
        "We are always short of staff.", "There are not enough nurses on nights.", "The team is stretched thin.",
        "Nobody replaced the colleagues who left.", "Two people doing the work of five.",
        "Vacancies stay open for months.", "We need more hands on the ward.", "Understaffed every single weekend.",
        "Agency workers fill the gaps but never stay.", "I cover for missing colleagues constantly.",
        "Hiring has frozen while the workload grew.", "The rota has holes nobody can fill.",
        "Burnout because headcount keeps shrinking.", "One receptionist for the whole building.",
        "Please recruit before someone collapses.", "Too few teachers for too many pupils.",
        "Overtime is the only way shifts get covered.", "Sick leave leaves the floor empty.",
        "New starters quit within weeks, so we stay short.", "The desk is manned by a single person.",
        "Lack of personnel slows everything.", "We lost three engineers and hired none.",
        "Skeleton crew most days.", "More employees would fix half our problems.", "Shifts run with half a team."]),
    "Communication": ("Management does not tell people what is going on", [
        "Management never tells us anything.", "We hear about changes from the press first.",
        "Decisions arrive without explanation.", "Nobody answers my emails.", "The bosses are invisible.",
        "Updates are vague and late.", "I found out about the reorganisation by rumour.",
        "There is no channel to raise concerns.", "Leaders talk at us, not with us.",
        "Meetings end without anyone saying what was decided.", "Information is kept behind closed doors.",
        "Head office sends mixed messages.", "Feedback disappears into a void.",
        "It would help to know the plan for next year.", "Announcements contradict each other.",
        "My manager rarely explains priorities.", "We are kept in the dark.",
        "Transparency from the top is missing.", "Questions at the all-hands go unanswered.",
        "Policies change and no one is informed.", "The newsletter says nothing useful.",
        "Directors should listen to front-line staff.", "Poor communication from leadership.",
        "Silence from above breeds distrust.", "Please tell us why things change."]),
    "Commute": ("Getting to work is hard: travel, parking, transport", [
        "Parking near the office is impossible.", "The bus takes ninety minutes each way.",
        "Traffic on the ring road is a nightmare.", "Trains are cancelled almost daily.",
        "There is nowhere to leave a bike safely.", "My journey costs two hours a day.",
        "The car park fills by eight.", "No public transport reaches the site after six.",
        "Driving in is stressful and slow.", "Relocating the depot doubled my travel time.",
        "Tram delays make me late.", "Fuel for the drive is killing me.",
        "I cycle on a dangerous road to get here.", "Spaces for visitors take our bays.",
        "The shuttle stopped running.", "Roadworks have blocked the main route for months.",
        "Getting here by rail is unreliable.", "Finding a spot to park wastes twenty minutes.",
        "A remote day now and then would spare the trip.", "The station is a long walk away.",
        "Buses are packed at rush hour.", "We need a staff car park.",
        "My commute has become exhausting.", "Late trains wreck my mornings.", "Too far from anywhere."]),
    "Scheduling": ("Shifts and schedules change too late or at random", [
        "The rota changes too late to plan childcare.", "Shifts get swapped without notice.",
        "I learn my hours the night before.", "Schedules are published far too late.",
        "Last-minute changes to my timetable every week.", "Weekend work is sprung on us.",
        "Planning a holiday is impossible with this roster.", "Split shifts ruin my sleep.",
        "Hours are cut or added on a whim.", "Nobody asks before moving my days off.",
        "The calendar is rewritten constantly.", "Overnight duties appear without warning.",
        "Predictable hours would change my life.", "My working pattern is chaos.",
        "Rosters should be fixed a month ahead.", "Annual leave gets cancelled at short notice.",
        "Being called in on rest days is normal here.", "Start times move every other day.",
        "I cannot book appointments because times shift.", "The duty list is unreliable.",
        "Shift allocation feels random.", "Irregular hours wear everyone down.",
        "Tell us the schedule sooner, please.", "Sudden rota edits are the worst part.", "Timetables keep moving."]),
    "Training": ("Not enough training or onboarding", [
        "Nobody trained me when I started.", "There is no induction for new starters.",
        "I learned the system by trial and error.", "We were handed manuals and left alone.",
        "Courses were cancelled to save money.", "I would love mentoring from someone senior.",
        "Onboarding lasted an afternoon.", "Skills development is ignored.",
        "No one showed me how the tools work.", "Professional growth opportunities are rare.",
        "I asked for a workshop and heard nothing.", "Learning is all on the job and rushed.",
        "There is no budget for certifications.", "New hires shadow nobody.",
        "Refresher sessions would prevent mistakes.", "The e-learning modules are outdated.",
        "I feel unprepared for half my tasks.", "Coaching happens only after errors.",
        "Junior staff are thrown in at the deep end.", "Teach us the new software properly.",
        "Career progression needs better education.", "Apprentices get no guidance.",
        "A proper handover never happened.", "Upskilling is left to us.", "Instruction is minimal."]),
    "Tools": ("Software and equipment are slow or broken", [
        "The software crashes every afternoon.", "Logging in takes five minutes.",
        "Our laptops are ancient.", "The printer has been broken for weeks.",
        "The system freezes when we save.", "The app loses my data.", "Wi-Fi drops constantly.",
        "Terminals at the tills keep rebooting.", "Search in the database is painfully slow.",
        "We still use spreadsheets for everything.", "The phone line cuts out mid-call.",
        "Scanners fail to read half the labels.", "Updates break something every time.",
        "The website times out under load.", "My monitor flickers all day.",
        "Passwords expire and lock us out.", "Equipment is outdated and unreliable.",
        "The ticketing tool is clunky.", "IT takes days to fix anything.",
        "Machines overheat in summer.", "The portal is full of bugs.",
        "Video calls lag and stutter.", "Files go missing from the shared drive.",
        "Technology holds us back.", "Devices are constantly glitching."]),
    "Colleagues": ("Praise for colleagues and team spirit", [
        "My colleagues are wonderful.", "The team always has my back.", "Great people to work with.",
        "We help each other without being asked.", "The atmosphere among coworkers is warm.",
        "I love the camaraderie here.", "Everyone pitches in when it gets busy.",
        "My teammates make hard days bearable.", "Friendly and supportive staff.",
        "There is real trust between us.", "People here genuinely care.",
        "The crew is like a family.", "Working alongside these folks is a joy.",
        "Kind and generous peers.", "We celebrate each other's wins.",
        "The department is close-knit.", "Mutual respect runs deep.",
        "Fellow nurses are the best part.", "I stay because of the people.",
        "Cooperation across teams is excellent.", "Partners on my shift are brilliant.",
        "Lovely group of humans.", "The spirit in our unit is fantastic.",
        "I feel welcomed by everyone.", "Solidarity among workers is strong."]),
}
REMARKS = ["The canteen coffee is fine.", "Spring came early this year.", "I have worked here for six years.",
           "My dog sends his regards.", "The new logo is blue.", "Our office moved floors in March.",
           "I mostly work on Tuesdays.", "Lunch breaks are at noon.", "The plants by the window look healthy.",
           "I filled in this form on my phone.", "My daughter starts school soon.", "I play chess at weekends.",
           "The lift music is odd.", "We had a fire drill on Monday.", "I prefer tea to coffee.",
           "The view from the third floor is nice.", "I joined from the Leeds branch.", "My desk faces the door.",
           "It rained all through May.", "The summer party was in July.", "I speak three languages.",
           "There is a new bakery across the street.", "I am a night owl.", "The walls were painted green.",
           "Our team name is Falcon.", "I knit during lunch.", "The clocks went back last week.",
           "I run marathons.", "The building is from 1972.", "I read a lot of crime novels.",
           "My badge photo is terrible.", "The vending machine takes cards now.", "I grew up by the sea.",
           "There are ducks in the pond outside.", "I was born in April.", "The carpet is grey.",
           "I like the new uniforms.", "The fridge is shared by two teams.", "I have two cats.",
           "Board games on Fridays are fun.", "My surname is often misspelled.", "I studied history.",
           "The staff photo is on the wall.", "I bake bread at home.", "The corridor smells of paint.",
           "I volunteer at a food bank.", "The windows face south.", "I collect old maps.",
           "My first job was in a shop.", "The stairs are quicker than the lift."]
PER_PHRASING = 5


def answers(seed=7, remarks=True):
    """[(text, code)]: each theme's phrasings, each PER_PHRASING times beside different remarks (or alone
    when remarks is False: one topic per answer), shuffled."""
    rnd = random.Random(seed)
    made = []
    for code, (_, phrasings) in THEMES.items():
        for phrasing in phrasings:
            for remark in rnd.sample(REMARKS, PER_PHRASING):
                made.append((_joined(phrasing, remark, rnd) if remarks else phrasing, code))
    rnd.shuffle(made)
    return made


def _joined(phrasing, remark, rnd):
    return f"{phrasing} {remark}" if rnd.random() < 0.5 else f"{remark} {phrasing}"


def descriptions():
    """{code: its description}, the queries a search by meaning is measured with."""
    return {code: description for code, (description, _) in THEMES.items()}
