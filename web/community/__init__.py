"""Community pages at /community/<program>: members' own sign-in, questions and answers."""
