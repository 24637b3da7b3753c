"""Mid-year monitoring (绩效运行监控, issue 11), pure: no database. Time progress and 执行率,
warning rules as data, the evaluation of a 监控表; operational data: column mappings of a
source's rows (``records.py``) and metrics defined as data (``metrics.py``)."""
