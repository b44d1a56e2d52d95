package vocab

// Code is one value a column of the precedent comparison takes, as the ATOP alliance-treaty
// and PA-X peace-agreement codebooks code theirs: a fixed key, the label a reader sees, and a
// one-sentence definition. A precedent's fact carries the code it supports, so every coded
// cell rests on cited passages.
type Code struct {
	Key, Label, Definition string
}

// Codebook is the closed list of codes for each coded aspect, in the order the page lists
// them. The codes are those the precedents' facts need, not a full ATOP or PA-X list.
var Codebook = map[Aspect][]Code{
	"guarantors": {
		{"nato", "NATO or its members", "The alliance as a whole, or its members guaranteeing one another (ATOP: members of a defence pact)."},
		{"united-states", "The United States", "The United States acting on its own, not as one ally among many."},
		{"us-and-europe", "The US and European states", "The United States together with European states or the EU, outside NATO's treaty."},
		{"european-coalition", "A European coalition", "A group of European states (a “coalition of the willing”) without the United States as a party."},
		{"guarantors-incl-russia", "Guarantors include Russia", "Russia, the state the guarantee guards against, is itself one of the guarantors (PA-X: third-party guarantors including a belligerent)."},
		{"russia-alone", "Russia alone", "Russia pledges by itself, with no other state answering for the pledge."},
		{"mediators", "Mediators, no guarantor", "Third states broker the agreement but do not guarantee it (PA-X: mediators rather than guarantors)."},
		{"trusted-third-party", "A party both sides trust", "A country or organisation acceptable to both belligerents, not a party to the war."},
	},
	"obligation": {
		{"defence-commitment", "Defence commitment", "The guarantors must treat an attack on the protected party as an attack on themselves and come to its defence (ATOP: defence pact)."},
		{"no-commitment-to-fight", "No commitment to fight", "The text, as the source reads it, binds no guarantor to go to war for the protected party."},
		{"assurance", "Security assurances", "Political assurances to respect the protected state's security, short of a promise to defend it."},
		{"military-assistance", "Military assistance", "Arms, training and military-technical cooperation for the protected state's own forces, short of a promise to fight."},
		{"troop-deployment", "Troops stationed", "The guarantors station their own forces on the protected territory."},
		{"non-deployment", "Non-deployment", "A pledge not to station forces or weapons in an area."},
		{"force-withdrawal", "Withdrawal of forces", "A demand or pledge that forces already stationed in an area be drawn back."},
		{"non-aggression", "Non-aggression", "The adversary pledges not to attack, take territory or violate borders (ATOP: non-aggression pact)."},
		{"collective-security", "Mutual guarantees incl. Russia", "A multilateral system in which every party, Russia included, is guaranteed and guarantees the others."},
		{"monitoring-mission", "Monitoring mission", "Observers patrol and report on a ceasefire line; they do not defend either side."},
	},
	"trigger": {
		{"armed-attack", "Armed attack", "The obligation is set off by an armed attack or renewed aggression against the protected party (ATOP: casus foederis)."},
		{"unanimity-required", "Unanimity or veto", "The guarantors must all agree, so any one of them, the adversary included, can stop the obligation being triggered (ATOP: conditions on invocation)."},
		{"after-ceasefire", "After a ceasefire", "The arrangement starts once fighting stops or a peace agreement is signed."},
		{"undefined", "Not yet defined", "The sources say what would set the obligation off has still to be settled."},
	},
	"response": {
		{"discretionary", "Discretionary", "Each guarantor decides for itself what, if anything, to do (ATOP: non-specific commitment)."},
		{"forces-in-place", "Forces in place", "Troops already stationed on the ground would meet an attack, so an attacker fights the guarantors at once."},
		{"military-aid", "Military aid, short of war", "Arms and support, possibly air support, without committing troops to combat."},
		{"sanctions", "Economic sanctions", "The response to a breach was economic sanctions, not force."},
		{"russian-veto", "Russia can block it", "A guarantor council including Russia must authorise any response, so Russia can block it."},
		{"undefined", "Not yet defined", "The sources say what the guarantors would do has still to be settled."},
	},
	"legal-form": {
		{"ratified-treaty", "Ratified treaty", "A treaty approved by the parties' parliaments, binding in international law (PA-X: agreement type)."},
		{"memorandum-or-act", "Signed memorandum or act", "A signed memorandum, act or declaration of political commitments, not described as a ratified treaty."},
		{"peace-accords", "Peace accords", "An agreement negotiated between the warring sides to end the fighting (PA-X: ceasefire or comprehensive agreement)."},
		{"ceasefire", "Ceasefire", "An armistice or cessation of hostilities, formal or informal, that stops the firing without settling the dispute (PA-X: ceasefire agreement)."},
		{"draft-terms", "Negotiated, never concluded", "Terms negotiated in talks that ended without an agreement (PA-X: pre-negotiation or framework stage)."},
		{"unilateral-law", "Unilateral law", "One state's own legislation, which that state alone can change."},
		{"demands", "Demands", "One side's demands put to the other, not a negotiated text."},
		{"peace-agreement-part", "Part of a peace deal", "To be written into an eventual agreement ending the war."},
		{"proposal", "Proposal", "An idea floated by officials or analysts, with no agreed text."},
		{"undecided", "Form undecided", "The sources say how the arrangement will be constructed, and how binding it will be, is still open."},
	},
	"enforcement": {
		{"monitoring", "Monitoring", "Observers, patrols, surveillance or verification watch compliance (PA-X: ceasefire monitoring)."},
		{"undecided", "Still to be decided", "The sources say which enforceable guarantees it will carry is still to be negotiated."},
	},
	"scope": {
		{"members-territory", "Members' territory", "The territory of the alliance's own members (ATOP: geographic scope)."},
		{"eastern-flank", "NATO's eastern members", "The central European and Baltic states that joined NATO from 1999, and Poland."},
		{"western-europe", "Western Europe", "Western Europe, chiefly West Germany, in the Cold War."},
		{"ukraine", "Ukraine", "Ukraine's territory, or the part of it the arrangement covers."},
		{"line-of-contact", "The line of contact", "The line dividing the forces, on both sides of it."},
		{"european-order", "Europe's security order", "The European security architecture as a whole, beyond the protected state."},
		{"undefined", "Not yet defined", "The sources say the area covered has still to be defined."},
	},
	"happened": {
		{"failed", "Failed", "It did not prevent the attack, annexation or fighting it was meant to prevent."},
		{"not-concluded", "Not concluded", "The negotiations ended without an agreement (PA-X: no agreement signed)."},
		{"rejected", "Rejected", "A party whose consent it needed refused it."},
		{"ceasefire-holds", "Firing stopped, dispute unsettled", "The firing has ceased though the issues dividing the sides are not settled."},
		{"credibility-questioned", "Credibility stretched", "In place, but the sources judge the promise less credible than it was."},
		{"scaled-back", "Scaled back", "Kept, but with fewer forces or ambitions than first planned or once held."},
		{"under-negotiation", "Under negotiation", "Agreed in principle, with the details still being negotiated."},
	},
}

// CodesFor lists the codes an aspect takes; none if the aspect is not coded.
func CodesFor(a Aspect) []Code { return Codebook[a] }

// CodeOf finds a code of an aspect by its key.
func CodeOf(a Aspect, key string) (Code, bool) {
	for _, c := range Codebook[a] {
		if c.Key == key {
			return c, true
		}
	}
	return Code{}, false
}

// CodeKeys lists the keys of an aspect's codes, for messages and checks.
func CodeKeys(a Aspect) []string {
	var out []string
	for _, c := range Codebook[a] {
		out = append(out, c.Key)
	}
	return out
}
