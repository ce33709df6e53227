"""E-learning and accreditation: courses, graded quizzes, certifications that gate routing."""
