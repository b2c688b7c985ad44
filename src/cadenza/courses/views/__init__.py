"""Pages of the catalog, the teaching area, the course builder and enrolment management."""
