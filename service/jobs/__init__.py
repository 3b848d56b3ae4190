"""Solves and sweeps outside the web process: a pool of worker processes fed from the database.

The queue is the ``jobs`` table, one queue for both kinds of job.

- :mod:`.admission` (web side): a job is admitted, bounded (beyond ``queue_size`` queued
  jobs: 429 with a retry time), within its district's share (:mod:`.quotas`);
- :mod:`.pool` (web side): ``pool_size`` worker processes (*spawn*: a fresh interpreter, no
  inherited threads or sockets), replaced when one dies; jobs whose lease ran out are
  queued again (:mod:`.leases`), a stopping server's own jobs too;
- :mod:`.worker`: a worker claims the next job in the districts' turn (:mod:`.fair_share`;
  claims serialised, ``SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) with a
  lease, and runs it;
- :mod:`.monitor`: beside a running job, its lease renewed, its progress written and its
  cancel flag watched;
- :mod:`.solve_job` and :mod:`.sweep_job`: running one solve, or every variant of a sweep;
- :mod:`.views`: how a job reads in an answer;
- :mod:`.logs`: the workers' log lines, ``key=value`` with each job's id and district.

Recovery: workers die with the web process (``PR_SET_PDEATHSIG`` plus a watchdog on the
parent pid); a worker that dies alone is replaced and its job queued again, up to
``max_attempts`` starts; a job whose lease runs out (its server died) is queued again by
any server, up to ``max_attempts`` starts too. A run writes only while its ``claim`` is the
job's, so a run that was given up can never overwrite a later one. Several servers may
share one database.
"""
