# nbgrader configuration for plain `nbgrader` commands run at the course root.
# The one source of truth is autograder.course.Course.nbgrader_config (solutions/ = source,
# units/ = release, grading/ = the instructor's workspace).
from autograder.course import Course

c = get_config()  # noqa: F821 (provided by nbgrader)
c.merge(Course.at(__file__.rsplit("/", 1)[0] or ".").nbgrader_config())
