#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# test-pipelines: parse the pipeline files in ci/pipelines/, check their
# structure, and extract the exact commands each job runs (used by
# it-pipelines.sh, which runs them against the harness server).
#
#   test-pipelines.py check DIR
#       Check github-actions.yml, gitlab-ci.yml and Jenkinsfile in DIR;
#       print every problem, exit 1 if any.
#       The checks include which jobs each trigger starts: GitLab's
#       workflow and job rules and GitHub's job conditions are evaluated
#       for every event (push, merge request, push with an open merge
#       request, schedule, run by hand with and without NIGHTLY=1).
#   test-pipelines.py commands DIR PLATFORM JOB
#       Print the job as JSON: {"env": {...}, "steps": [{"cmd": ...,
#       "always": bool}], "reports": [glob...], "artifacts": [path...]}.
#       PLATFORM is github, gitlab or jenkins; JOB is test or nightly.
#       env holds only literal values: anything the platform fills in
#       (secrets, expressions, $VARS) is left to the caller.
import json
import os
import re
import sys

import yaml

PLATFORM_FILES = {
    "github": "github-actions.yml",
    "gitlab": "gitlab-ci.yml",
    "jenkins": "Jenkinsfile",
}
# The only actions a GitHub job may use: no third-party code in the
# pipeline (the summary is written by ci/junit-summary).
ALLOWED_ACTIONS = ("actions/checkout@", "actions/upload-artifact@")
CRON = re.compile(r"^(\S+\s+){4}\S+$")


class Problems(list):
    def add(self, where, msg):
        self.append("%s: %s" % (where, msg))


def literal_env(env):
    """Environment values that are plain text, not platform expressions."""
    out = {}
    for k, v in (env or {}).items():
        v = "" if v is None else str(v)
        if "${{" in v or "$" in v or "credentials(" in v:
            continue
        out[str(k)] = v
    return out


def split_lines(script):
    """A multi-line run: block as one command (it runs in one shell)."""
    return script.strip("\n")


# ---------------------------------------------------------------- GitHub
def github_load(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    # YAML 1.1 reads the key 'on' as the boolean true.
    if True in doc and "on" not in doc:
        doc["on"] = doc.pop(True)
    return doc


def github_job(doc, name):
    job = doc["jobs"][name]
    env = literal_env(doc.get("env"))
    env.update(literal_env(job.get("env")))
    steps, artifacts = [], []
    for st in job.get("steps", []):
        always = "always()" in str(st.get("if", ""))
        if "run" in st:
            steps.append({"cmd": split_lines(st["run"]), "always": always})
        elif str(st.get("uses", "")).startswith("actions/upload-artifact@"):
            artifacts.append(str(st.get("with", {}).get("path", "")))
    reports = []
    for s in steps:
        m = re.search(r"ci/junit-summary\b.*?((?:\S+\.xml\s*)+)", s["cmd"])
        if m:
            reports += m.group(1).split()
    return {"env": env, "steps": steps, "reports": reports,
            "artifacts": artifacts}


def github_check(path, p):
    w = os.path.basename(path)
    doc = github_load(path)
    on = doc.get("on") or {}
    for ev in ("push", "pull_request", "schedule", "workflow_dispatch"):
        if ev not in on:
            p.add(w, "'on' lacks '%s'" % ev)
    for c in (on.get("schedule") or []):
        if not CRON.match(str(c.get("cron", ""))):
            p.add(w, "schedule cron '%s' is not 5 fields" % c.get("cron"))
    jobs = doc.get("jobs") or {}
    for name in ("test", "nightly"):
        if name not in jobs:
            p.add(w, "no job '%s'" % name)
    for name, job in jobs.items():
        for st in job.get("steps", []):
            uses = st.get("uses")
            if uses and not uses.startswith(ALLOWED_ACTIONS):
                p.add(w, "job '%s' uses third-party action '%s'" %
                      (name, uses))
            run = str(st.get("run", ""))
            if "secrets." in run:
                p.add(w, "job '%s' puts a secret on a command line" % name)
    if "nightly" in jobs:
        j = github_job(doc, "nightly")
        cmds = [s["cmd"] for s in j["steps"]]
        if "ci/nightly" not in cmds:
            p.add(w, "nightly job does not run ci/nightly")
        if not any("GITHUB_STEP_SUMMARY" in c for c in cmds):
            p.add(w, "nightly job writes no job summary")
        if not j["artifacts"]:
            p.add(w, "nightly job uploads no artifact")
        rd = j["env"].get("REPORT_DIR", "out/nightly")
        if not any(a.rstrip("/") == rd.rstrip("/") for a in j["artifacts"]):
            p.add(w, "nightly artifact path %s is not REPORT_DIR '%s'" %
                  (j["artifacts"], rd))
        env = jobs["nightly"].get("env") or {}
        for k in ("NATS_URL", "NATS_USER", "NATS_PASSWORD"):
            if "secrets." + k not in str(env.get(k, "")):
                p.add(w, "nightly env %s is not taken from secrets" % k)
    if "test" in jobs:
        cmds = [s["cmd"] for s in github_job(doc, "test")["steps"]]
        if "ci/test" not in cmds:
            p.add(w, "test job does not run ci/test")
    # Which jobs each event starts.
    want = {"push": {"test"}, "pull_request": {"test"},
            "schedule": {"nightly"}, "workflow_dispatch": {"nightly"}}
    for ev, names in want.items():
        got = {n for n, j in jobs.items() if github_if(j.get("if"), ev)}
        if got != names:
            p.add(w, "event '%s' starts %s, want %s" %
                  (ev, sorted(got), sorted(names)))
    for name, cancel in (("test", True), ("nightly", False)):
        c = (jobs.get(name) or {}).get("concurrency") or {}
        if not c.get("group"):
            p.add(w, "job '%s' has no concurrency group" % name)
        elif bool(c.get("cancel-in-progress")) != cancel:
            p.add(w, "job '%s' concurrency cancel-in-progress must be %s" %
                  (name, str(cancel).lower()))
    for name, job in jobs.items():
        for st in job.get("steps", []):
            run = str(st.get("run", ""))
            if "junit-summary" in run and "--missing-ok" not in run:
                p.add(w, "job '%s': the summary fails when no report was "
                      "written (no --missing-ok)" % name)
    if "nightly" in jobs:
        env = jobs["nightly"].get("env") or {}
        if "secrets.NATS_CREDS_DATA" not in str(env.get("NATS_CREDS_DATA")):
            p.add(w, "nightly env NATS_CREDS_DATA is not taken from secrets")
        runs = [str(st.get("run", "")) for st in jobs["nightly"]["steps"]]
        wc = [i for i, r in enumerate(runs) if r.startswith("ci/write-creds")]
        nl = [i for i, r in enumerate(runs) if r == "ci/nightly"]
        if not wc or "GITHUB_ENV" not in runs[wc[0]]:
            p.add(w, "nightly job writes no credentials file from the "
                  "secret (ci/write-creds ... >> $GITHUB_ENV)")
        elif nl and wc[0] > nl[0]:
            p.add(w, "nightly job writes the credentials file after "
                  "ci/nightly")


def github_if(cond, event):
    """Evaluate a job's 'if:' (event-name tests joined by || and &&)."""
    if cond is None:
        return True
    expr = str(cond).replace("${{", "").replace("}}", "")
    if not re.fullmatch(r"[\w.' =!|&()]*", expr):
        raise ValueError("cannot evaluate if: %r" % cond)
    expr = expr.replace("github.event_name", repr(event))
    expr = expr.replace("||", " or ").replace("&&", " and ")
    return bool(eval(expr, {"__builtins__": {}}, {}))


# ---------------------------------------------------------------- GitLab
GITLAB_RESERVED = {"image", "stages", "variables", "default", "include",
                   "workflow", "services", "before_script", "after_script",
                   "cache"}


def gitlab_job(doc, name):
    job = doc[name]
    env = literal_env(doc.get("variables"))
    env.update(literal_env(job.get("variables")))
    steps = [{"cmd": str(c), "always": False}
             for c in (doc.get("before_script") or []) +
             (job.get("before_script") or []) + job.get("script", [])]
    steps += [{"cmd": str(c), "always": True}
              for c in job.get("after_script") or []]
    arts = job.get("artifacts") or {}
    reports = (arts.get("reports") or {}).get("junit") or []
    if isinstance(reports, str):
        reports = [reports]
    return {"env": env, "steps": steps, "reports": list(reports),
            "artifacts": list(arts.get("paths") or [])}


def gitlab_check(path, p):
    w = os.path.basename(path)
    with open(path) as f:
        doc = yaml.safe_load(f)
    for name in ("test", "nightly"):
        if name not in doc:
            p.add(w, "no job '%s'" % name)
            continue
        job = doc[name]
        if job.get("stage") not in (doc.get("stages") or []):
            p.add(w, "job '%s' stage '%s' is not in stages" %
                  (name, job.get("stage")))
        arts = job.get("artifacts") or {}
        if arts.get("when") != "always":
            p.add(w, "job '%s' artifacts are not kept when it fails" % name)
        if not (arts.get("reports") or {}).get("junit"):
            p.add(w, "job '%s' has no artifacts:reports:junit" % name)
    if "nightly" in doc:
        rules = " ".join(str(r.get("if", ""))
                         for r in doc["nightly"].get("rules") or [])
        if '"schedule"' not in rules:
            p.add(w, "nightly job does not run on a schedule")
        if "ci/nightly" not in doc["nightly"].get("script", []):
            p.add(w, "nightly job does not run ci/nightly")
    for k, v in (doc.get("variables") or {}).items():
        if k in ("NATS_PASSWORD", "NATS_TOKEN", "NATS_USER", "NATS_URL"):
            p.add(w, "%s must be a CI/CD variable, not in the file" % k)
    # Which jobs each trigger starts (None: no pipeline at all).
    cases = [
        ("push", {"CI_PIPELINE_SOURCE": "push"}, {"test"}),
        ("push to a branch with an open merge request",
         {"CI_PIPELINE_SOURCE": "push", "CI_OPEN_MERGE_REQUESTS": "g/p!1"},
         None),
        ("merge request", {"CI_PIPELINE_SOURCE": "merge_request_event"},
         {"test"}),
        ("schedule", {"CI_PIPELINE_SOURCE": "schedule"}, {"nightly"}),
        ("run by hand", {"CI_PIPELINE_SOURCE": "web"}, {"test"}),
        ("run by hand with NIGHTLY=1",
         {"CI_PIPELINE_SOURCE": "web", "NIGHTLY": "1"}, {"nightly"}),
        ("API trigger", {"CI_PIPELINE_SOURCE": "trigger"}, None),
    ]
    for what, env, want in cases:
        got = gitlab_jobs_for(doc, env)
        if got != want:
            p.add(w, "%s starts %s, want %s" % (
                what, "no pipeline" if got is None else sorted(got),
                "no pipeline" if want is None else sorted(want)))


GITLAB_TOKEN = re.compile(
    r"\s*(?:(\$\w+)|\"([^\"]*)\"|'([^']*)'|(==|!=|&&|\|\||\(|\)))")


def gitlab_if(expr, env):
    """Evaluate a GitLab rules:if expression: $VAR, "str", ==, !=, &&, ||,
    parentheses.  An unset or empty variable is false and equals no
    string."""
    toks, pos, expr = [], 0, str(expr).strip()
    while pos < len(expr):
        m = GITLAB_TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError("cannot evaluate rules:if %r" % expr)
        var, dq, sq, op = m.groups()
        toks.append(("var", env.get(var[1:]) or None) if var else
                    ("str", dq if dq is not None else sq) if op is None
                    else ("op", op))
        pos = m.end()
    toks.append(("end", None))
    i = 0

    def atom():
        nonlocal i
        kind, val = toks[i]
        i += 1
        if kind == "op" and val == "(":
            v = disj()
            i += 1
            return v
        left = val
        if toks[i] in (("op", "=="), ("op", "!=")):
            op = toks[i][1]
            right = toks[i + 1][1]
            i += 2
            return (left == right) == (op == "==")
        return bool(left)

    def conj():
        nonlocal i
        v = atom()
        while toks[i] == ("op", "&&"):
            i += 1
            v = atom() and v
        return v

    def disj():
        nonlocal i
        v = conj()
        while toks[i] == ("op", "||"):
            i += 1
            v = conj() or v
        return v

    return disj()


def gitlab_rules_pass(rules, env):
    """The first matching rule decides; no rule at all means run."""
    if rules is None:
        return True
    for r in rules:
        if "if" not in r or gitlab_if(r["if"], env):
            return r.get("when", "on_success") != "never"
    return False


def gitlab_jobs_for(doc, env):
    if not gitlab_rules_pass((doc.get("workflow") or {}).get("rules"), env):
        return None
    return {name for name in ("test", "nightly") if name in doc and
            gitlab_rules_pass(doc[name].get("rules"), env)}


# --------------------------------------------------------------- Jenkins
def jenkins_block(text, start):
    """The text between the brace at or after start and its match."""
    i = text.index("{", start)
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
    raise ValueError("unbalanced braces after offset %d" % start)


def jenkins_strip(text):
    """Drop // comments (outside quotes) so that braces in them don't count."""
    out = []
    for line in text.splitlines():
        q = None
        for i, ch in enumerate(line):
            if q:
                if ch == q:
                    q = None
            elif ch in "'\"":
                q = ch
            elif line.startswith("//", i):
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


def jenkins_load(path):
    with open(path) as f:
        return jenkins_strip(f.read())


def jenkins_stage(text, name):
    m = re.search(r"stage\(\s*'%s'\s*\)" % re.escape(name), text)
    if not m:
        raise KeyError(name)
    return jenkins_block(text, m.end())


SH = re.compile(r"""\bsh\s*\(?\s*(?:script:\s*)?(?:'([^']*)'|"([^"]*)")""")


def jenkins_job(text, name):
    stage = jenkins_stage(text, name.capitalize())
    env = {}
    m = re.search(r"\benvironment\s*\{", text)
    if m:
        for k, v in re.findall(r"(\w+)\s*=\s*'([^']*)'",
                               jenkins_block(text, m.start())):
            env[k] = v
    steps_text = jenkins_block(stage, re.search(r"\bsteps\s*\{",
                                                stage).start())
    steps = [{"cmd": a or b, "always": False}
             for a, b in SH.findall(steps_text)]
    reports = re.findall(r"\bjunit\b[^\n]*?testResults:\s*'([^']*)'", stage)
    arts = re.findall(r"archiveArtifacts\s+artifacts:\s*'([^']*)'", stage)
    return {"env": literal_env(env), "steps": steps, "reports": reports,
            "artifacts": [a.replace("/**", "/") for a in arts]}


def jenkins_check(path, p):
    w = os.path.basename(path)
    text = jenkins_load(path)
    if text.count("{") != text.count("}"):
        p.add(w, "unbalanced braces")
        return
    if not re.search(r"^pipeline\s*\{", text, re.M):
        p.add(w, "not a declarative pipeline (no top-level 'pipeline {')")
        return
    body = jenkins_block(text, re.search(r"^pipeline", text, re.M).end())
    for sect in ("agent", "stages", "triggers"):
        if not re.search(r"\b%s\b" % sect, body):
            p.add(w, "pipeline has no '%s'" % sect)
    m = re.search(r"triggers\s*\{[^}]*cron\(\s*'([^']*)'", body)
    if not m or not CRON.match(m.group(1)):
        p.add(w, "no cron trigger with a 5-field schedule")
    for name in ("Test", "Nightly"):
        try:
            stage = jenkins_stage(body, name)
        except (KeyError, ValueError):
            p.add(w, "no stage '%s'" % name)
            continue
        if not re.search(r"\bsteps\s*\{", stage):
            p.add(w, "stage '%s' has no steps" % name)
        if not re.search(r"post\s*\{\s*always\s*\{[^}]*\bjunit\b", stage,
                         re.S):
            p.add(w, "stage '%s' has no junit step in post { always }" %
                  name)
        if not re.search(r"\bwhen\s*\{", stage):
            p.add(w, "stage '%s' has no 'when'" % name)
    agent = jenkins_block(body, re.search(r"\bagent\b", body).end())
    if re.search(r"-u\s*0\b|--user[= ]0\b|\broot\b", agent):
        p.add(w, "the build container runs as root")
    m = re.search(r"\bdockerfile\s*\{", agent)
    if m:
        blk = jenkins_block(agent, m.start())
        d = re.search(r"\bdir\s+'([^']*)'", blk)
        f = re.search(r"\bfilename\s+'([^']*)'", blk)
        df = os.path.join(os.path.dirname(path), "..", "..",
                          d.group(1) if d else ".",
                          f.group(1) if f else "Dockerfile")
        try:
            with open(df) as fh:
                if "bootstrap" not in fh.read():
                    p.add(w, "the agent's Dockerfile does not run "
                          "ci/bootstrap")
        except OSError:
            p.add(w, "the agent's Dockerfile %s is missing" % df)
    for name in ("Test", "Nightly"):
        try:
            if not re.search(r"\bjunit\s+allowEmptyResults:\s*true",
                             jenkins_stage(body, name)):
                p.add(w, "stage '%s': junit fails the build when no "
                      "report was written (no allowEmptyResults)" % name)
        except (KeyError, ValueError):
            pass
    try:
        nightly = jenkins_stage(body, "Nightly")
        when = jenkins_block(nightly, re.search(r"\bwhen\s*\{",
                                                nightly).start())
        if not re.search(r"BRANCH_NAME[^}]*'main'|\bbranch\s+'main'", when):
            p.add(w, "stage 'Nightly' is not limited to the main branch")
        if "TimerTrigger" not in nightly:
            p.add(w, "stage 'Nightly' does not run on the cron trigger")
        if "withCredentials" not in nightly:
            p.add(w, "stage 'Nightly' takes no credentials")
        if "ci/nightly" not in [s["cmd"] for s in
                                jenkins_job(body, "nightly")["steps"]]:
            p.add(w, "stage 'Nightly' does not run ci/nightly")
    except (KeyError, ValueError, AttributeError):
        pass


# ------------------------------------------------------------------ main
def job(d, platform, name):
    path = os.path.join(d, PLATFORM_FILES[platform])
    if platform == "github":
        return github_job(github_load(path), name)
    if platform == "gitlab":
        with open(path) as f:
            return gitlab_job(yaml.safe_load(f), name)
    return jenkins_job(jenkins_load(path), name)


def main(argv):
    if len(argv) >= 2 and argv[0] == "check":
        p = Problems()
        checks = {"github": github_check, "gitlab": gitlab_check,
                  "jenkins": jenkins_check}
        for platform, fn in checks.items():
            path = os.path.join(argv[1], PLATFORM_FILES[platform])
            try:
                fn(path, p)
                j = {n: job(argv[1], platform, n) for n in ("test",
                                                            "nightly")}
                for n, x in j.items():
                    if not x["steps"]:
                        p.add(PLATFORM_FILES[platform],
                              "job '%s': no commands found" % n)
                    for s in x["steps"]:
                        first = s["cmd"].split()[0]
                        if not (first.startswith("ci/") or
                                first in ("meson", "test")):
                            p.add(PLATFORM_FILES[platform],
                                  "job '%s' runs '%s', not a ci/ script" %
                                  (n, first))
                    if n == "nightly" and not x["reports"]:
                        p.add(PLATFORM_FILES[platform],
                              "nightly publishes no JUnit report")
            except (OSError, yaml.YAMLError, KeyError, ValueError,
                    TypeError, AttributeError) as e:
                p.add(PLATFORM_FILES[platform], "cannot parse: %r" % (e,))
        for line in p:
            print(line)
        print("%d problem(s)" % len(p))
        return 1 if p else 0
    if len(argv) == 4 and argv[0] == "commands":
        print(json.dumps(job(argv[1], argv[2], argv[3])))
        return 0
    print("usage: test-pipelines.py check DIR | commands DIR PLATFORM JOB",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
