"""Assignment pages: the learner's (``learner``) and the staff's (``staff``)."""
