package model

import (
	"fmt"
	"strings"
	"time"
)

// Role is a job in the response, named by a slug such as "incident-commander".
type Role string

// The roles the bundled runbooks use. Teams may define more in front matter.
const (
	RoleCommander      Role = "incident-commander"
	RoleScribe         Role = "scribe"
	RoleCommunications Role = "communications-lead"
	RoleOperations     Role = "operations-lead"
	RoleExpert         Role = "subject-matter-expert"
	RoleSupport        Role = "customer-support"
	RoleLegal          Role = "legal-privacy"
	RoleExecutive      Role = "executive-sponsor"
)

// StandardRoles lists the bundled roles in the order panels show them.
var StandardRoles = []Role{RoleCommander, RoleScribe, RoleCommunications, RoleOperations, RoleExpert, RoleSupport, RoleLegal, RoleExecutive}

var roleTitles = map[Role]string{
	RoleCommander:      "Incident Commander",
	RoleScribe:         "Scribe",
	RoleCommunications: "Communications Lead",
	RoleOperations:     "Operations Lead",
	RoleExpert:         "Subject Matter Expert",
	RoleSupport:        "Customer Support",
	RoleLegal:          "Legal/Privacy",
	RoleExecutive:      "Executive Sponsor",
}

// roleAliases lets people type the short forms they say out loud.
var roleAliases = map[string]Role{
	"ic": RoleCommander, "commander": RoleCommander,
	"comms": RoleCommunications, "cl": RoleCommunications,
	"ops": RoleOperations, "ol": RoleOperations, "ops-lead": RoleOperations,
	"sme": RoleExpert, "expert": RoleExpert,
	"support": RoleSupport, "cs": RoleSupport,
	"legal": RoleLegal, "privacy": RoleLegal,
	"exec": RoleExecutive, "sponsor": RoleExecutive,
}

// Title is the role's display name; unknown roles show their slug.
func (r Role) Title() string {
	if t, ok := roleTitles[r]; ok {
		return t
	}
	return string(r)
}

// roleDashes writes a role's spaces and slashes as dashes. Built once: a
// Replacer costs microseconds to build, and a runbook can name thousands
// of roles.
var roleDashes = strings.NewReplacer(" ", "-", "/", "-")

// ParseRole accepts a role slug, its title or a common alias.
func ParseRole(text string) (Role, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = roleDashes.Replace(t)
	if r, ok := roleAliases[t]; ok {
		return r, nil
	}
	for r, title := range roleTitles {
		if strings.EqualFold(roleDashes.Replace(title), t) {
			return r, nil
		}
	}
	if err := ValidSlug("role", t); err != nil {
		return "", err
	}
	return Role(t), nil
}

// RACI says who does a step (Responsible), who answers for it (Accountable,
// exactly one), who is asked (Consulted) and who is told (Informed).
type RACI struct {
	Responsible []Role `json:"responsible,omitempty" yaml:"responsible,omitempty"`
	Accountable []Role `json:"accountable,omitempty" yaml:"accountable,omitempty"`
	Consulted   []Role `json:"consulted,omitempty" yaml:"consulted,omitempty"`
	Informed    []Role `json:"informed,omitempty" yaml:"informed,omitempty"`
}

// IsZero reports whether no role is named at all.
func (r RACI) IsZero() bool {
	return len(r.Responsible)+len(r.Accountable)+len(r.Consulted)+len(r.Informed) == 0
}

// Check returns the RACI rule a step breaks, or nil: exactly one Accountable.
func (r RACI) Check() error {
	switch len(r.Accountable) {
	case 1:
		return nil
	case 0:
		return Invalidf("no Accountable role: a step needs exactly one")
	default:
		return Invalidf("%d Accountable roles (%s): a step needs exactly one", len(r.Accountable), joinRoles(r.Accountable))
	}
}

// Roles lists every role the RACI names, once each, in R, A, C, I order.
func (r RACI) Roles() []Role {
	var out []Role
	seen := map[Role]bool{}
	for _, list := range [][]Role{r.Responsible, r.Accountable, r.Consulted, r.Informed} {
		for _, role := range list {
			if !seen[role] {
				seen[role] = true
				out = append(out, role)
			}
		}
	}
	return out
}

func (r RACI) String() string {
	var parts []string
	for _, p := range []struct {
		letter string
		roles  []Role
	}{{"R", r.Responsible}, {"A", r.Accountable}, {"C", r.Consulted}, {"I", r.Informed}} {
		if len(p.roles) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %s", p.letter, joinRoles(p.roles)))
		}
	}
	return strings.Join(parts, ", ")
}

func joinRoles(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// RoleHolder is who holds a role on one incident right now.
type RoleHolder struct {
	Role   Role
	Holder string
	Since  time.Time
	// Clash lists other people who took the same role at the same time
	// (offline, from the same starting point); the commander settles it by
	// assigning the role again.
	Clash []string
}
