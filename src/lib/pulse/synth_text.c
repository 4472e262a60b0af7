/*
 * synth_text.c — the words the synthetic workforce writes: bullets of
 * federal work made from verbs, deliverables and details across mission
 * delivery, service to the public, oversight, coordination, administration,
 * IT, training and leave, plus out-of-office texts. Deterministic for a
 * doge_synth_rng state; used by `doge synth replies`.
 */
#include "synth_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const verbs[] = {
    "Completed", "Reviewed", "Drafted", "Processed", "Closed out", "Resolved", "Delivered",
    "Finalized", "Submitted", "Updated", "Coordinated", "Led", "Audited", "Inspected",
    "Answered", "Trained", "Migrated", "Deployed", "Analyzed", "Prepared", "Briefed",
    "Reconciled", "Scheduled", "Published", "Approved", "Investigated", "Documented",
    "Tested", "Onboarded", "Cleared",
};

static const char *const objects[] = {
    "%d benefit claims for veterans in the Denver region",
    "the FY2025 grant close-out package for %d awardees",
    "%d FOIA requests from the backlog",
    "the quarterly safety inspection report for Building %d",
    "%d passport applications flagged for manual review",
    "a contract modification for the records digitization task order",
    "%d calls on the taxpayer assistance line",
    "the draft environmental assessment for the river crossing project",
    "%d wildfire fuel-reduction acres mapped in GIS",
    "the audit of travel card transactions for Q%d",
    "%d small business loan applications",
    "the interagency working group on drought response",
    "the migration of %d mailboxes to the new tenant",
    "patches on %d servers in the regional data center",
    "the onboarding of %d new hires in the field office",
    "the budget justification tables for the spring submission",
    "%d Medicare provider enrollment files",
    "the tribal consultation meeting notes and action items",
    "%d food safety inspections at processing plants",
    "the incident response exercise for the payments system",
    "%d customs entry reviews at the port of entry",
    "the public comment summary for the proposed rule",
    "%d apprenticeship program site visits",
    "the data quality checks on %d thousand survey records",
    "the lease renewal analysis for the field office space",
    "%d disability determinations",
    "the accessibility fixes on %d web pages",
    "the records retention schedule for the division",
    "%d weather station calibrations",
    "the training module on ethics rules for %d staff",
    "the congressional inquiry response about mail delivery delays",
    "%d housing voucher recertifications",
    "the cybersecurity assessment for the case management system",
    "%d export license applications",
    "the hiring panel for %d analyst positions",
    "the monthly performance dashboard for the regional directors",
};

static const char *const details[] = {
    "", "", "", " ahead of the deadline", " with the regional office", " and sent it for approval",
    " (%d remaining)", " after resolving %d data errors", " for the deputy director",
    " in coordination with the state partners", ", reducing the backlog by %d%%",
    " and closed the related tickets", " on schedule",
};

static const char *const oof[] = {
    ("I am out of the office until %s with limited access to email. For urgent matters please "
     "contact my manager."),
    "Thank you for your message. I am currently on leave and will return on %s.",
    "I'm away from the office on official travel until %s and will respond when I return.",
    "Out of office: I am attending training through %s. Your message will not be forwarded.",
};

int doge__synth_bullet(doge_synth_rng *s, char *out, size_t cap)
{
    const char *v = verbs[(uint32_t)doge_synth_rng_below(s, sizeof verbs / sizeof *verbs)];
    const char *o = objects[(uint32_t)doge_synth_rng_below(s, sizeof objects / sizeof *objects)];
    const char *d = details[(uint32_t)doge_synth_rng_below(s, sizeof details / sizeof *details)];
    char obj[256], det[128];
    snprintf(obj, sizeof obj, o, 2 + (int)(uint32_t)doge_synth_rng_below(s, 400));
    snprintf(det, sizeof det, d, 1 + (int)(uint32_t)doge_synth_rng_below(s, 60));
    return snprintf(out, cap, "%s %s%s", v, obj, det);
}

int doge__synth_out_of_office(doge_synth_rng *s, const char *until, char *out, size_t cap)
{
    return snprintf(out, cap, oof[(uint32_t)doge_synth_rng_below(s, sizeof oof / sizeof *oof)], until);
}
