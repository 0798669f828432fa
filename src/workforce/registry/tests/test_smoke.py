def test_personas_are_created(personas):
    assert personas.steel_worker.current_employer == personas.steel
    assert personas.steel.headcount == 1
